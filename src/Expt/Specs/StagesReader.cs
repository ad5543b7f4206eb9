using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads what each job runs: the top-level <c>run</c> (one implicit stage named <c>main</c>) or the <c>stages</c>
/// pipeline, with each stage's needs, kinds, cell axes, shards, resources, timeout, retries and collect; then checks
/// the stage graph and the placeholders of every command (<see cref="StageChecks"/>).
/// </summary>
internal sealed class StagesReader(SpecFields fields)
{
    /// <summary>The keys a stage may have; at the top level beside <c>run</c> too.</summary>
    public static readonly string[] StageKeys =
        ["run", "needs", "kinds", "foreach", "foreach_by_kind", "shards", "merge", "resources", "timeout", "retries", "retry_on", "args", "collect"];

    private static readonly string[] ResourceKeys = ["gpus", "cpus", "mem", "time"];
    private static readonly string[] CollectKeys = ["pattern", "layout"];
    private static readonly string[] RetryStates = ["failed", "timed_out", "lost"];

    private SpecDiagnostics Diagnostics => fields.Diagnostics;

    /// <summary>The stages, from the top-level keys of <paramref name="root"/>; params name the placeholders a command may use.</summary>
    public List<StageDefinition> Read(Dictionary<string, YamlNode> keys, YamlMappingNode root, Dictionary<string, ParamDefinition> parameters)
    {
        var stages = new List<StageDefinition>();
        var hasRun = keys.TryGetValue("run", out var runNode);
        var hasStages = keys.TryGetValue("stages", out var stagesNode);
        if (hasRun && hasStages)
        {
            Diagnostics.Error(stagesNode!, "stages", "a spec has either 'run' (one command) or 'stages' (a pipeline), not both");
            return stages;
        }
        if (!hasRun && !hasStages)
        {
            Diagnostics.Error(root, "run", "missing 'run' (the command each variant runs) or 'stages' (a pipeline)");
            return stages;
        }
        if (hasRun)
        {
            var stage = ReadStage("main", keys, root, "", isImplicit: true);
            if (stage is not null) stages.Add(stage);
        }
        else
        {
            foreach (var key in StageKeys.Where(k => k is not ("run" or "args") && keys.ContainsKey(k)))
            {
                Diagnostics.Error(keys[key], key, $"'{key}' belongs inside a stage when 'stages' is used");
            }
            if (stagesNode is not YamlMappingNode map || map.Children.Count == 0)
            {
                Diagnostics.Error(stagesNode!, "stages", $"expected a mapping of stage name to {{ run, needs, ... }}; got {YamlScalars.Describe(stagesNode!)}");
                return stages;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var name = SpecFields.KeyText(k);
                if (!SpecNames.StageNamePattern().IsMatch(name))
                {
                    Diagnostics.Error(k, $"stages.{name}", $"'{name}' is not a valid stage name; expected lowercase letters, digits, '_' or '-'");
                    continue;
                }
                if (!seen.Add(name))
                {
                    Diagnostics.Error(k, $"stages.{name}", $"duplicate stage '{name}'");
                    continue;
                }
                if (v is not YamlMappingNode stageMap)
                {
                    if (v is YamlScalarNode { Value: { Length: > 0 } command } && !YamlScalars.IsNull(v))
                    {
                        stages.Add(NewStage(name, command, Diagnostics.At(k)));
                        continue;
                    }
                    Diagnostics.Error(v, $"stages.{name}", $"expected a mapping with at least 'run'; got {YamlScalars.Describe(v)}");
                    continue;
                }
                var stageKeys = fields.ReadKeys(stageMap, $"stages.{name}", StageKeys);
                var stage = ReadStage(name, stageKeys, k, $"stages.{name}.", isImplicit: false);
                if (stage is not null) stages.Add(stage);
            }
        }
        StageChecks.CheckGraph(Diagnostics, stages);
        StageChecks.CheckRunTemplates(Diagnostics, stages, keys.GetValueOrDefault("run"), parameters);
        return stages;
    }

    private static StageDefinition NewStage(string name, string run, SourceLocation location) =>
        new(name, run, [], [], [], new Dictionary<string, IReadOnlyList<CellAxis>>(), 1, null, ResourceRequest.None, null, 0,
            StageDefinition.DefaultRetryOn, null, null, false, location);

    private StageDefinition? ReadStage(string name, Dictionary<string, YamlNode> keys, YamlNode at, string prefix, bool isImplicit)
    {
        if (!keys.TryGetValue("run", out var runNode))
        {
            Diagnostics.Error(at, $"{prefix}run", $"stage '{name}' has no 'run' command");
            return null;
        }
        var run = fields.ScalarString(runNode, $"{prefix}run");
        if (run is not null && string.IsNullOrWhiteSpace(run)) Diagnostics.Error(runNode, $"{prefix}run", "the command is empty");
        var stage = NewStage(name, run ?? "", Diagnostics.At(at)) with { IsImplicit = isImplicit };

        if (keys.TryGetValue("needs", out var needs)) stage = stage with { Needs = fields.ReadStringList(needs, $"{prefix}needs") };
        if (keys.TryGetValue("kinds", out var kinds)) stage = stage with { Kinds = fields.ReadStringList(kinds, $"{prefix}kinds") };
        if (keys.TryGetValue("foreach", out var fe)) stage = stage with { Foreach = ReadAxes(fe, $"{prefix}foreach") };
        if (keys.TryGetValue("foreach_by_kind", out var byKind)) stage = stage with { ForeachByKind = ReadAxesByKind(byKind, $"{prefix}foreach_by_kind") };
        if (keys.TryGetValue("shards", out var shards)) stage = stage with { Shards = fields.ReadInt(shards, $"{prefix}shards", 1) ?? 1 };
        if (keys.TryGetValue("merge", out var merge)) stage = stage with { Merge = fields.ScalarString(merge, $"{prefix}merge") };
        if (stage.Merge is not null && stage.Shards <= 1) Diagnostics.Error(merge!, $"{prefix}merge", "'merge' needs 'shards' greater than 1");
        if (keys.TryGetValue("resources", out var res)) stage = stage with { Resources = ReadResources(res, $"{prefix}resources") };
        if (keys.TryGetValue("timeout", out var timeout)) stage = stage with { Timeout = fields.ReadDuration(timeout, $"{prefix}timeout") };
        if (keys.TryGetValue("retries", out var retries)) stage = stage with { Retries = fields.ReadInt(retries, $"{prefix}retries", 0) ?? 0 };
        if (keys.TryGetValue("retry_on", out var retryOn))
        {
            var list = fields.ReadStringList(retryOn, $"{prefix}retry_on");
            foreach (var s in list.Where(s => !RetryStates.Contains(s)))
            {
                Diagnostics.Error(retryOn, $"{prefix}retry_on", $"'{s}' cannot be retried{DidYouMean.Suggest(s, RetryStates)}; expected any of {string.Join(", ", RetryStates)}");
            }
            stage = stage with { RetryOn = list };
        }
        if (!isImplicit && keys.TryGetValue("args", out var args)) stage = stage with { Args = fields.ReadArgs(args, $"{prefix}args") };
        if (keys.TryGetValue("collect", out var collect)) stage = stage with { Collect = ReadCollect(collect, $"{prefix}collect") };
        return stage;
    }

    private List<CellAxis> ReadAxes(YamlNode node, string field)
    {
        var axes = new List<CellAxis>();
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, field, $"expected a mapping of axis name to a list of values, e.g. {{ task: [mmlu, gsm8k] }}; got {YamlScalars.Describe(node)}");
            return axes;
        }
        foreach (var (k, v) in map.Children)
        {
            var axis = SpecFields.KeyText(k);
            if (!SpecNames.ParamNamePattern().IsMatch(axis))
            {
                Diagnostics.Error(k, $"{field}.{axis}", $"'{axis}' is not a valid axis name; expected letters, digits, '_' or '-'");
                continue;
            }
            if (v is not YamlSequenceNode seq || seq.Children.Count == 0)
            {
                Diagnostics.Error(v, $"{field}.{axis}", $"expected a non-empty list of values; got {YamlScalars.Describe(v)}");
                continue;
            }
            var values = new List<JsonNode?>();
            foreach (var item in seq.Children)
            {
                if (item is not YamlScalarNode || YamlScalars.IsNull(item))
                {
                    Diagnostics.Error(item, $"{field}.{axis}", $"cell values must be scalars; got {YamlScalars.Describe(item)}");
                    continue;
                }
                var value = SpecLoader.ToJson(item);
                if (values.Any(x => ParamValues.AreEqual(x, value)))
                {
                    Diagnostics.Error(item, $"{field}.{axis}", $"duplicate value {ParamValues.ToDisplay(value)}");
                    continue;
                }
                values.Add(value);
            }
            axes.Add(new CellAxis(axis, values));
        }
        return axes;
    }

    private Dictionary<string, IReadOnlyList<CellAxis>> ReadAxesByKind(YamlNode node, string field)
    {
        var result = new Dictionary<string, IReadOnlyList<CellAxis>>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, field, $"expected a mapping of kind to axes, e.g. {{ control: {{ task: [a, b] }} }}; got {YamlScalars.Describe(node)}");
            return result;
        }
        foreach (var (k, v) in map.Children)
        {
            var kind = SpecFields.KeyText(k);
            result[kind] = YamlScalars.IsNull(v) ? [] : ReadAxes(v, $"{field}.{kind}");
        }
        return result;
    }

    private ResourceRequest ReadResources(YamlNode node, string field)
    {
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, field, $"expected a mapping of gpus, cpus, mem, time; got {YamlScalars.Describe(node)}");
            return ResourceRequest.None;
        }
        var keys = fields.ReadKeys(map, field.TrimEnd('.'), ResourceKeys);
        var r = ResourceRequest.None;
        if (keys.TryGetValue("gpus", out var gpus)) r = r with { Gpus = fields.ReadInt(gpus, $"{field}.gpus", 0) ?? 0 };
        if (keys.TryGetValue("cpus", out var cpus)) r = r with { Cpus = fields.ReadInt(cpus, $"{field}.cpus", 1) };
        if (keys.TryGetValue("mem", out var mem))
        {
            var mb = mem is YamlScalarNode s ? Durations.TryParseMegabytes(s.Value) : null;
            if (mb is null) Diagnostics.Error(mem, $"{field}.mem", $"expected a size such as 16G or 512M; got {YamlScalars.Describe(mem)}");
            r = r with { MemoryMb = mb };
        }
        if (keys.TryGetValue("time", out var time)) r = r with { Time = fields.ReadDuration(time, $"{field}.time") };
        return r;
    }

    private CollectDefinition? ReadCollect(YamlNode node, string field)
    {
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, field, $"expected {{ pattern: \"*.eval\", layout: flat }}; got {YamlScalars.Describe(node)}");
            return null;
        }
        var keys = fields.ReadKeys(map, field, CollectKeys);
        if (!keys.TryGetValue("pattern", out var pattern))
        {
            Diagnostics.Error(node, $"{field}.pattern", "missing 'pattern' (a file glob such as \"*.eval\")");
            return null;
        }
        var layout = keys.TryGetValue("layout", out var layoutNode) ? fields.ScalarString(layoutNode, $"{field}.layout") : "flat";
        if (layout is not "flat")
        {
            Diagnostics.Error(layoutNode!, $"{field}.layout", $"'{layout}' is not a collect layout; expected 'flat'");
            return null;
        }
        var p = fields.ScalarString(pattern, $"{field}.pattern");
        return p is null ? null : new CollectDefinition(p, layout);
    }
}
