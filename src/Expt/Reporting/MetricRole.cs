using YamlDotNet.RepresentationModel;

namespace Expt.Reporting;

/// <summary>
/// How a report treats one metric, as the spec's <c>metrics:</c> block says (read back from the run's
/// <c>spec.yaml</c>). A metric no role names keeps the name-based direction of <see cref="MetricDirections.Default"/>.
/// </summary>
/// <param name="Name">The metric's name without a cell suffix: the role covers the metric in every cell.</param>
/// <param name="Goal">Which way is better; null to leave it to the name rules.</param>
/// <param name="Primary">True for the metric every summary leads with.</param>
/// <param name="Info">True for a metric that is shown but never compared: no winner, no test, no delta.</param>
public sealed record MetricRole(string Name, MetricDirection? Goal, bool Primary, bool Info)
{
    /// <summary>The role of <paramref name="metric"/> (cell-qualified or not) among <paramref name="roles"/>; null when none names it.</summary>
    public static MetricRole? Of(IReadOnlyList<MetricRole> roles, string metric)
    {
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(metric);
        var cut = metric.IndexOf('[', StringComparison.Ordinal);
        var name = cut > 0 ? metric[..cut] : metric;
        return roles.FirstOrDefault(r => r.Name == metric) ?? roles.FirstOrDefault(r => r.Name == name);
    }

    /// <summary>
    /// The roles of a spec's <c>metrics:</c> mapping, read leniently (the loader validated the spec when the run
    /// was made): an entry that cannot be read is left out rather than failing the report.
    /// </summary>
    internal static IReadOnlyList<MetricRole> Read(YamlMappingNode root)
    {
        if (!root.Children.TryGetValue(new YamlScalarNode("metrics"), out var node) || node is not YamlMappingNode map) return [];
        var roles = new List<MetricRole>();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { Length: > 0 } name }) continue;
            string? Text(string key) => v is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;
            var shorthand = v is YamlScalarNode scalar ? scalar.Value : null;
            var goal = (shorthand ?? Text("goal")) switch { "max" => MetricDirection.Max, "min" => (MetricDirection?)MetricDirection.Min, _ => null };
            var primary = Text("primary") is "true" or "True" or "TRUE";
            var info = shorthand == "info" || Text("role") == "info";
            roles.Add(new MetricRole(name, info ? null : goal, primary && !info, info));
        }
        return roles;
    }
}
