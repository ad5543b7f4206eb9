using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

public sealed partial class SpecLoader
{
    /// <summary>Placeholders every <c>run</c> may use besides params and cell axes.</summary>
    internal static readonly string[] BuiltInPlaceholders = ["output_dir", "variant", "run_dir", "kind", "stage", "experiment", "shard_index", "shard_count"];

    private static readonly string[] ResourceKeys = ["gpus", "cpus", "mem", "time"];
    private static readonly string[] CollectKeys = ["pattern", "layout"];
    private static readonly string[] RetryStates = ["failed", "timed_out", "lost"];

    private List<StageDefinition> ReadStagesOrRun(Dictionary<string, YamlNode> keys, YamlMappingNode root, Dictionary<string, ParamDefinition> parameters)
    {
        var stages = new List<StageDefinition>();
        var hasRun = keys.TryGetValue("run", out var runNode);
        var hasStages = keys.TryGetValue("stages", out var stagesNode);
        if (hasRun && hasStages)
        {
            Error(stagesNode!, "stages", "a spec has either 'run' (one command) or 'stages' (a pipeline), not both");
            return stages;
        }
        if (!hasRun && !hasStages)
        {
            Error(root, "run", "missing 'run' (the command each variant runs) or 'stages' (a pipeline)");
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
                Error(keys[key], key, $"'{key}' belongs inside a stage when 'stages' is used");
            }
            if (stagesNode is not YamlMappingNode map || map.Children.Count == 0)
            {
                Error(stagesNode!, "stages", $"expected a mapping of stage name to {{ run, needs, ... }}; got {YamlScalars.Describe(stagesNode!)}");
                return stages;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var name = KeyText(k);
                if (!StageNamePattern().IsMatch(name))
                {
                    Error(k, $"stages.{name}", $"'{name}' is not a valid stage name; expected lowercase letters, digits, '_' or '-'");
                    continue;
                }
                if (!seen.Add(name))
                {
                    Error(k, $"stages.{name}", $"duplicate stage '{name}'");
                    continue;
                }
                if (v is not YamlMappingNode stageMap)
                {
                    if (v is YamlScalarNode { Value: { Length: > 0 } command } && !YamlScalars.IsNull(v))
                    {
                        stages.Add(NewStage(name, command, YamlScalars.At(_file, k)));
                        continue;
                    }
                    Error(v, $"stages.{name}", $"expected a mapping with at least 'run'; got {YamlScalars.Describe(v)}");
                    continue;
                }
                var stageKeys = ReadKeys(stageMap, $"stages.{name}", StageKeys);
                var stage = ReadStage(name, stageKeys, k, $"stages.{name}.", isImplicit: false);
                if (stage is not null) stages.Add(stage);
            }
        }
        CheckStageGraph(stages);
        CheckRunTemplates(stages, keys, parameters);
        return stages;
    }

    private StageDefinition NewStage(string name, string run, SourceLocation location) =>
        new(name, run, [], [], [], new Dictionary<string, IReadOnlyList<CellAxis>>(), 1, null, ResourceRequest.None, null, 0,
            StageDefinition.DefaultRetryOn, null, null, false, location);

    private StageDefinition? ReadStage(string name, Dictionary<string, YamlNode> keys, YamlNode at, string prefix, bool isImplicit)
    {
        if (!keys.TryGetValue("run", out var runNode))
        {
            Error(at, $"{prefix}run", $"stage '{name}' has no 'run' command");
            return null;
        }
        var run = ScalarString(runNode, $"{prefix}run");
        if (run is not null && string.IsNullOrWhiteSpace(run)) Error(runNode, $"{prefix}run", "the command is empty");
        var stage = NewStage(name, run ?? "", YamlScalars.At(_file, at)) with { IsImplicit = isImplicit };

        if (keys.TryGetValue("needs", out var needs)) stage = stage with { Needs = ReadStringList(needs, $"{prefix}needs") };
        if (keys.TryGetValue("kinds", out var kinds)) stage = stage with { Kinds = ReadStringList(kinds, $"{prefix}kinds") };
        if (keys.TryGetValue("foreach", out var fe)) stage = stage with { Foreach = ReadAxes(fe, $"{prefix}foreach") };
        if (keys.TryGetValue("foreach_by_kind", out var byKind)) stage = stage with { ForeachByKind = ReadAxesByKind(byKind, $"{prefix}foreach_by_kind") };
        if (keys.TryGetValue("shards", out var shards)) stage = stage with { Shards = ReadInt(shards, $"{prefix}shards", 1) ?? 1 };
        if (keys.TryGetValue("merge", out var merge)) stage = stage with { Merge = ScalarString(merge, $"{prefix}merge") };
        if (stage.Merge is not null && stage.Shards <= 1) Error(merge!, $"{prefix}merge", "'merge' needs 'shards' greater than 1");
        if (keys.TryGetValue("resources", out var res)) stage = stage with { Resources = ReadResources(res, $"{prefix}resources") };
        if (keys.TryGetValue("timeout", out var timeout)) stage = stage with { Timeout = ReadDuration(timeout, $"{prefix}timeout") };
        if (keys.TryGetValue("retries", out var retries)) stage = stage with { Retries = ReadInt(retries, $"{prefix}retries", 0) ?? 0 };
        if (keys.TryGetValue("retry_on", out var retryOn))
        {
            var list = ReadStringList(retryOn, $"{prefix}retry_on");
            foreach (var s in list.Where(s => !RetryStates.Contains(s)))
            {
                Error(retryOn, $"{prefix}retry_on", $"'{s}' cannot be retried{DidYouMean.Suggest(s, RetryStates)}; expected any of {string.Join(", ", RetryStates)}");
            }
            stage = stage with { RetryOn = list };
        }
        if (!isImplicit && keys.TryGetValue("args", out var args)) stage = stage with { Args = ReadArgs(args, $"{prefix}args") };
        if (keys.TryGetValue("collect", out var collect)) stage = stage with { Collect = ReadCollect(collect, $"{prefix}collect") };
        return stage;
    }

    private List<CellAxis> ReadAxes(YamlNode node, string field)
    {
        var axes = new List<CellAxis>();
        if (node is not YamlMappingNode map)
        {
            Error(node, field, $"expected a mapping of axis name to a list of values, e.g. {{ task: [mmlu, gsm8k] }}; got {YamlScalars.Describe(node)}");
            return axes;
        }
        foreach (var (k, v) in map.Children)
        {
            var axis = KeyText(k);
            if (!ParamNamePattern().IsMatch(axis))
            {
                Error(k, $"{field}.{axis}", $"'{axis}' is not a valid axis name; expected letters, digits, '_' or '-'");
                continue;
            }
            if (v is not YamlSequenceNode seq || seq.Children.Count == 0)
            {
                Error(v, $"{field}.{axis}", $"expected a non-empty list of values; got {YamlScalars.Describe(v)}");
                continue;
            }
            var values = new List<JsonNode?>();
            foreach (var item in seq.Children)
            {
                if (item is not YamlScalarNode || YamlScalars.IsNull(item))
                {
                    Error(item, $"{field}.{axis}", $"cell values must be scalars; got {YamlScalars.Describe(item)}");
                    continue;
                }
                var value = ToJson(item);
                if (values.Any(x => ParamValues.AreEqual(x, value)))
                {
                    Error(item, $"{field}.{axis}", $"duplicate value {ParamValues.ToDisplay(value)}");
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
            Error(node, field, $"expected a mapping of kind to axes, e.g. {{ control: {{ task: [a, b] }} }}; got {YamlScalars.Describe(node)}");
            return result;
        }
        foreach (var (k, v) in map.Children)
        {
            var kind = KeyText(k);
            result[kind] = YamlScalars.IsNull(v) ? [] : ReadAxes(v, $"{field}.{kind}");
        }
        return result;
    }

    private ResourceRequest ReadResources(YamlNode node, string field)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, field, $"expected a mapping of gpus, cpus, mem, time; got {YamlScalars.Describe(node)}");
            return ResourceRequest.None;
        }
        var keys = ReadKeys(map, field.TrimEnd('.'), ResourceKeys);
        var r = ResourceRequest.None;
        if (keys.TryGetValue("gpus", out var gpus)) r = r with { Gpus = ReadInt(gpus, $"{field}.gpus", 0) ?? 0 };
        if (keys.TryGetValue("cpus", out var cpus)) r = r with { Cpus = ReadInt(cpus, $"{field}.cpus", 1) };
        if (keys.TryGetValue("mem", out var mem))
        {
            var mb = mem is YamlScalarNode s ? Durations.TryParseMegabytes(s.Value) : null;
            if (mb is null) Error(mem, $"{field}.mem", $"expected a size such as 16G or 512M; got {YamlScalars.Describe(mem)}");
            r = r with { MemoryMb = mb };
        }
        if (keys.TryGetValue("time", out var time)) r = r with { Time = ReadDuration(time, $"{field}.time") };
        return r;
    }

    private TimeSpan? ReadDuration(YamlNode node, string field)
    {
        var d = node is YamlScalarNode s ? Durations.TryParse(s.Value) : null;
        if (d is null || d <= TimeSpan.Zero)
        {
            Error(node, field, $"expected a positive duration such as 90s, 30m, 2h, 1h30m or 01:30:00; got {YamlScalars.Describe(node)}");
            return null;
        }
        return d;
    }

    private CollectDefinition? ReadCollect(YamlNode node, string field)
    {
        if (node is not YamlMappingNode map)
        {
            Error(node, field, $"expected {{ pattern: \"*.eval\", layout: flat }}; got {YamlScalars.Describe(node)}");
            return null;
        }
        var keys = ReadKeys(map, field, CollectKeys);
        if (!keys.TryGetValue("pattern", out var pattern))
        {
            Error(node, $"{field}.pattern", "missing 'pattern' (a file glob such as \"*.eval\")");
            return null;
        }
        var layout = keys.TryGetValue("layout", out var layoutNode) ? ScalarString(layoutNode, $"{field}.layout") : "flat";
        if (layout is not "flat")
        {
            Error(layoutNode!, $"{field}.layout", $"'{layout}' is not a collect layout; expected 'flat'");
            return null;
        }
        var p = ScalarString(pattern, $"{field}.pattern");
        return p is null ? null : new CollectDefinition(p, layout);
    }

    private void CheckStageGraph(List<StageDefinition> stages)
    {
        var names = stages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            foreach (var need in stage.Needs)
            {
                if (need == stage.Name)
                {
                    _errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.needs", "a stage cannot need itself"));
                }
                else if (!names.Contains(need))
                {
                    _errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.needs", $"unknown stage '{need}'{DidYouMean.Suggest(need, names)}"));
                }
            }
        }
        // Depth-first search for a cycle among valid edges.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var byName = stages.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var s in stages)
        {
            var path = new List<string>();
            if (!HasCycle(s.Name, byName, state, path)) continue;
            // Only the loop itself, from the stage it returns to; then on to the next cycle, each reported once.
            var loop = path[path.IndexOf(path[^1])..];
            var first = byName[loop[0]];
            _errors.Add(new SpecError(first.Location, $"stages.{first.Name}.needs", $"stages depend on each other in a cycle: {string.Join(" -> ", loop)}"));
            foreach (var visiting in state.Where(kv => kv.Value == 1).Select(kv => kv.Key).ToList()) state[visiting] = 2;
        }
    }

    private static bool HasCycle(string name, Dictionary<string, StageDefinition> byName, Dictionary<string, int> state, List<string> path)
    {
        if (state.TryGetValue(name, out var st))
        {
            if (st == 1)
            {
                path.Add(name);
                return true;
            }
            return false;
        }
        state[name] = 1;
        path.Add(name);
        foreach (var need in byName.TryGetValue(name, out var s) ? s.Needs : [])
        {
            // A stage needing itself is reported on its own.
            if (need != name && byName.ContainsKey(need) && HasCycle(need, byName, state, path)) return true;
        }
        path.RemoveAt(path.Count - 1);
        state[name] = 2;
        return false;
    }

    private void CheckRunTemplates(List<StageDefinition> stages, Dictionary<string, YamlNode> keys, Dictionary<string, ParamDefinition> parameters)
    {
        var stageDirs = stages.Select(s => $"stage.{s.Name}.dir");
        foreach (var stage in stages)
        {
            var axes = stage.Foreach.Concat(stage.ForeachByKind.Values.SelectMany(a => a)).Select(a => a.Name).Distinct().ToList();
            foreach (var axis in axes.Where(parameters.ContainsKey))
            {
                _errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.foreach.{axis}", $"axis '{axis}' has the name of a param; rename it"));
            }
            // Axes go into config.json and the flags beside the params, so the names Expt sets itself are taken.
            foreach (var axis in axes.Where(a => ReservedParams.Contains(a)))
            {
                _errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.foreach.{axis}", $"axis '{axis}' is reserved by Expt ({string.Join(", ", ReservedParams)}); choose another name"));
            }
            var known = parameters.Keys.Concat(BuiltInPlaceholders).Concat(axes).Concat(stageDirs).ToList();
            var runNode = stage.IsImplicit ? keys.GetValueOrDefault("run") : null;
            foreach (var (text, field) in new[] { (stage.Run, "run"), (stage.Merge, "merge") })
            {
                if (text is null) continue;
                var template = Template.TryParse(text, out var problem);
                var label = stage.IsImplicit ? field : $"stages.{stage.Name}.{field}";
                var at = runNode is not null && field == "run" ? YamlScalars.At(_file, runNode) : stage.Location;
                if (template is null)
                {
                    _errors.Add(new SpecError(at, label, problem!));
                    continue;
                }
                foreach (var f in template.Fields.Distinct().Where(f => !known.Contains(f)))
                {
                    _errors.Add(new SpecError(at, label, $"unknown placeholder '{{{f}}}'{DidYouMean.Suggest(f, known)}; use a param, a cell axis, {{stage.NAME.dir}} or one of {string.Join(", ", BuiltInPlaceholders.Select(b => "{" + b + "}"))}"));
                }
            }
        }
    }
}
