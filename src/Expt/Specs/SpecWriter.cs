using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Expt.Specs;

/// <summary>
/// Writes a definition back as a spec (the run's <c>spec.yaml</c>): overrides applied, every default explicit,
/// and the working directory absolute, so the file alone reproduces the run. Values are written as JSON,
/// which YAML reads unchanged.
/// </summary>
public static class SpecWriter
{
    /// <summary>The definition as YAML.</summary>
    public static string ToYaml(ExperimentDefinition d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var sb = new StringBuilder();
        sb.Append("# Resolved by Expt from ").Append(d.SourcePath).Append('\n');
        Line(sb, 0, "experiment", Str(d.Name));
        if (d.Question is not null) Line(sb, 0, "question", Str(d.Question));
        if (d.Hypothesis is not null) Line(sb, 0, "hypothesis", Str(d.Hypothesis));
        if (d.Notes is not null) Line(sb, 0, "notes", Str(d.Notes));
        Line(sb, 0, "workdir", Str(d.WorkingDirectory));
        sb.Append("params:\n");
        foreach (var p in d.Params)
        {
            var parts = new List<string> { $"type: {Str(p.Type.ToString())}" };
            if (!p.IsRequired) parts.Add($"default: {ParamValues.ToCompactJson(p.Default)}");
            if (p.Nullable) parts.Add("nullable: true");
            if (p.Min is { } min) parts.Add($"min: {ParamValues.FormatDouble(min)}");
            if (p.Max is { } max) parts.Add($"max: {ParamValues.FormatDouble(max)}");
            if (p.Values.Count > 0) parts.Add($"values: [{string.Join(", ", p.Values.Select(Str))}]");
            if (p.MustExist) parts.Add("must_exist: true");
            Line(sb, 1, p.Name, "{ " + string.Join(", ", parts) + " }");
        }
        if (d.Matrix.Count > 0)
        {
            sb.Append("matrix:\n");
            foreach (var f in d.Matrix) Line(sb, 1, f.Param, "[" + string.Join(", ", f.Levels.Select(ParamValues.ToCompactJson)) + "]");
        }
        if (d.Excludes.Count > 0)
        {
            sb.Append("exclude:\n");
            foreach (var e in d.Excludes) sb.Append("  - ").Append(Flow(e.Values)).Append('\n');
        }
        if (d.Includes.Count > 0)
        {
            sb.Append("include:\n");
            foreach (var i in d.Includes)
            {
                var values = new List<KeyValuePair<string, JsonNode?>> { KeyValuePair.Create("kind", (JsonNode?)JsonValue.Create(i.Kind)) };
                if (i.Name is not null) values.Add(KeyValuePair.Create("name", (JsonNode?)JsonValue.Create(i.Name)));
                values.AddRange(i.Values);
                sb.Append("  - ").Append(Flow(values)).Append('\n');
            }
        }
        if (d.Seeds.Count > 0) Line(sb, 0, "seeds", "[" + string.Join(", ", d.Seeds.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]");
        if (d.NameTemplate is not null) Line(sb, 0, "name", Str(d.NameTemplate));
        Line(sb, 0, "args", d.Args == ArgsMode.Flags ? "flags" : "none");
        if (d.Executor.Count > 0) Line(sb, 0, "executor", Flow(d.Executor));
        // Reports read these back from the run's copy (roles, the primary metric, the per-item id column).
        if (d.Metrics.Count > 0)
        {
            sb.Append("metrics:\n");
            foreach (var m in d.Metrics) Line(sb, 1, Str(m.Name), MetricFlow(m));
        }
        if (d.PerItemId is not null) Line(sb, 0, "per_item", $"{{ id: {Str(d.PerItemId)} }}");
        if (d.Stages.Count == 1 && d.Stages[0].IsImplicit)
        {
            WriteStageBody(sb, 0, d.Stages[0]);
        }
        else
        {
            sb.Append("stages:\n");
            foreach (var s in d.Stages)
            {
                Line(sb, 1, s.Name, "");
                WriteStageBody(sb, 2, s);
            }
        }
        return sb.ToString();
    }

    private static void WriteStageBody(StringBuilder sb, int indent, StageDefinition s)
    {
        Line(sb, indent, "run", Str(s.Run));
        if (s.Needs.Count > 0) Line(sb, indent, "needs", "[" + string.Join(", ", s.Needs.Select(Str)) + "]");
        if (s.Kinds.Count > 0) Line(sb, indent, "kinds", "[" + string.Join(", ", s.Kinds.Select(Str)) + "]");
        if (s.Foreach.Count > 0) Line(sb, indent, "foreach", Axes(s.Foreach));
        if (s.ForeachByKind.Count > 0)
        {
            Line(sb, indent, "foreach_by_kind", "{ " + string.Join(", ", s.ForeachByKind.Select(kv => $"{Str(kv.Key)}: {Axes(kv.Value)}")) + " }");
        }
        if (s.Shards != 1) Line(sb, indent, "shards", s.Shards.ToString(CultureInfo.InvariantCulture));
        if (s.Merge is not null) Line(sb, indent, "merge", Str(s.Merge));
        var r = s.Resources;
        if (r != ResourceRequest.None)
        {
            var parts = new List<string>();
            if (r.Gpus > 0) parts.Add($"gpus: {r.Gpus}");
            if (r.Cpus is { } c) parts.Add($"cpus: {c}");
            if (r.MemoryMb is { } m) parts.Add($"mem: {m}M");
            if (r.Time is { } t) parts.Add($"time: {Seconds(t)}");
            Line(sb, indent, "resources", "{ " + string.Join(", ", parts) + " }");
        }
        if (s.Timeout is { } timeout) Line(sb, indent, "timeout", Seconds(timeout));
        if (s.Retries > 0) Line(sb, indent, "retries", s.Retries.ToString(CultureInfo.InvariantCulture));
        if (!s.RetryOn.SequenceEqual(StageDefinition.DefaultRetryOn)) Line(sb, indent, "retry_on", "[" + string.Join(", ", s.RetryOn) + "]");
        if (s.Args is { } args && !s.IsImplicit) Line(sb, indent, "args", args == ArgsMode.Flags ? "flags" : "none");
        if (s.Collect is { } collect) Line(sb, indent, "collect", $"{{ pattern: {Str(collect.Pattern)}, layout: {collect.Layout} }}");
    }

    private static string MetricFlow(MetricDefinition m)
    {
        var parts = new List<string>();
        if (m.Goal is { } goal) parts.Add($"goal: {(goal == MetricGoal.Max ? "max" : "min")}");
        if (m.Primary) parts.Add("primary: true");
        if (m.Info) parts.Add("role: info");
        return "{ " + string.Join(", ", parts) + " }";
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";

    private static string Axes(IReadOnlyList<CellAxis> axes) =>
        "{ " + string.Join(", ", axes.Select(a => $"{Str(a.Name)}: [{string.Join(", ", a.Values.Select(ParamValues.ToCompactJson))}]")) + " }";

    private static string Flow(IEnumerable<KeyValuePair<string, JsonNode?>> values) =>
        "{ " + string.Join(", ", values.Select(kv => $"{Str(kv.Key)}: {ParamValues.ToCompactJson(kv.Value)}")) + " }";

    private static string Str(string s) => ParamValues.ToCompactJson(JsonValue.Create(s));

    private static void Line(StringBuilder sb, int indent, string key, string value)
    {
        sb.Append(' ', indent * 2).Append(key).Append(':');
        if (value.Length > 0) sb.Append(' ').Append(value);
        sb.Append('\n');
    }
}
