using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads the sections that tell reports how to read the jobs' results: <c>metrics:</c> (each metric's goal, the one
/// primary metric, metrics that are information only) and <c>per_item:</c> (the id column of per-item scores).
/// </summary>
internal sealed class MetricsReader(SpecFields fields)
{
    private static readonly string[] MetricKeys = ["goal", "primary", "role", "help", "description"];
    private static readonly string[] Goals = ["max", "min"];
    private static readonly string[] Roles = ["compare", "info"];
    private static readonly string[] PerItemKeys = ["id"];

    private SpecDiagnostics Diagnostics => fields.Diagnostics;

    /// <summary>The <c>metrics</c> entries in spec order: <c>name: { goal, primary, role }</c>, or <c>name: max|min|info</c>.</summary>
    public List<MetricDefinition> ReadMetrics(YamlNode? node)
    {
        var result = new List<MetricDefinition>();
        if (node is null || YamlScalars.IsNull(node)) return result;
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, "metrics", $"expected a mapping of metric name to its role, e.g. {{ accuracy: {{ goal: max, primary: true }}, n: {{ role: info }} }}; got {YamlScalars.Describe(node)}");
            return result;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        MetricDefinition? primary = null;
        foreach (var (k, v) in map.Children)
        {
            var name = SpecFields.KeyText(k);
            var field = $"metrics.{name}";
            if (k is not YamlScalarNode || name.Length == 0)
            {
                Diagnostics.Error(k, field, "a metric's name must be a non-empty string");
                continue;
            }
            if (!seen.Add(name))
            {
                Diagnostics.Error(k, field, $"duplicate metric '{name}'");
                continue;
            }
            var metric = ReadMetric(name, k, v, field);
            if (metric is null) continue;
            if (metric.Primary)
            {
                if (primary is not null)
                {
                    Diagnostics.Error(k, $"{field}.primary", $"'{primary.Name}' (line {primary.Location.Line}) is the primary metric already; a report leads with one metric, so mark only one 'primary: true'");
                    continue;
                }
                primary = metric;
            }
            result.Add(metric);
        }
        return result;
    }

    private MetricDefinition? ReadMetric(string name, YamlNode keyNode, YamlNode node, string field)
    {
        var at = Diagnostics.At(keyNode);
        if (YamlScalars.IsNull(node)) return new MetricDefinition(name, null, false, false, at);
        if (node is YamlScalarNode shorthand)
        {
            // `loss: min`, `n: info`: the goal or the role alone.
            switch (shorthand.Value)
            {
                case "max": return new MetricDefinition(name, MetricGoal.Max, false, false, at);
                case "min": return new MetricDefinition(name, MetricGoal.Min, false, false, at);
                case "info": return new MetricDefinition(name, null, false, true, at);
            }
            Diagnostics.Error(node, field, $"'{shorthand.Value}' is not a goal or role{DidYouMean.Suggest(shorthand.Value ?? "", [.. Goals, "info"])}; expected max, min, info or a mapping such as {{ goal: max, primary: true }}");
            return null;
        }
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, field, $"expected max, min, info or a mapping such as {{ goal: max, primary: true }}; got {YamlScalars.Describe(node)}");
            return null;
        }
        var errors = Diagnostics.Errors.Count;
        var keys = fields.ReadKeys(map, field, MetricKeys);
        MetricGoal? goal = null;
        if (keys.TryGetValue("goal", out var goalNode))
        {
            var text = fields.ScalarString(goalNode, $"{field}.goal");
            goal = text switch { "max" => MetricGoal.Max, "min" => MetricGoal.Min, _ => null };
            if (text is not null && goal is null)
            {
                Diagnostics.Error(goalNode, $"{field}.goal", $"'{text}' is not a goal{DidYouMean.Suggest(text, Goals)}; expected max (higher is better) or min (lower is better)");
            }
        }
        var primary = keys.TryGetValue("primary", out var primaryNode) && fields.ReadBool(primaryNode, $"{field}.primary") == true;
        var info = false;
        if (keys.TryGetValue("role", out var roleNode))
        {
            var text = fields.ScalarString(roleNode, $"{field}.role");
            if (text is not null && !Roles.Contains(text))
            {
                Diagnostics.Error(roleNode, $"{field}.role", $"'{text}' is not a role{DidYouMean.Suggest(text, Roles)}; expected compare (the default) or info (shown, never compared)");
            }
            info = text == "info";
            // An info metric has no better side and no winner: a goal or primary on it says the opposite.
            if (info && goalNode is not null)
            {
                Diagnostics.Error(goalNode, $"{field}.goal", "an info metric is shown but never compared, so it has no goal; drop 'goal' or 'role: info'");
            }
            if (info && primary)
            {
                Diagnostics.Error(primaryNode!, $"{field}.primary", "an info metric is never compared, so it cannot be the primary metric; drop 'primary' or 'role: info'");
            }
        }
        foreach (var help in new[] { "help", "description" })
        {
            if (keys.TryGetValue(help, out var helpNode)) fields.ScalarString(helpNode, $"{field}.{help}");
        }
        return Diagnostics.Errors.Count > errors ? null : new MetricDefinition(name, goal, primary, info, at);
    }

    /// <summary>The <c>per_item: { id: COLUMN }</c> id column; null when absent.</summary>
    public string? ReadPerItem(YamlNode? node)
    {
        if (node is null || YamlScalars.IsNull(node)) return null;
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, "per_item", $"expected a mapping such as {{ id: item_id }}; got {YamlScalars.Describe(node)}");
            return null;
        }
        var errors = Diagnostics.Errors.Count;
        var keys = fields.ReadKeys(map, "per_item", PerItemKeys);
        if (!keys.TryGetValue("id", out var idNode))
        {
            // An unknown key was reported already, with a suggestion; a second error would say the same.
            if (Diagnostics.Errors.Count == errors) Diagnostics.Error(node, "per_item.id", "missing required key 'id' (the id column of the per-item scores)");
            return null;
        }
        var id = fields.ScalarString(idNode, "per_item.id");
        if (id is { Length: 0 })
        {
            Diagnostics.Error(idNode, "per_item.id", "expected the name of the id column of the per-item scores; got an empty string");
            return null;
        }
        return id;
    }
}
