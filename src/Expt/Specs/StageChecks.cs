using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>Checks that need every stage read first: the <c>needs</c> graph and the placeholders of each command.</summary>
internal static class StageChecks
{
    /// <summary>Placeholders every <c>run</c> may use besides params and cell axes.</summary>
    public static readonly string[] BuiltInPlaceholders = ["output_dir", "variant", "run_dir", "kind", "stage", "experiment", "shard_index", "shard_count"];

    /// <summary>Every need names another stage, and no stages need each other in a cycle.</summary>
    public static void CheckGraph(SpecDiagnostics diagnostics, List<StageDefinition> stages)
    {
        var names = stages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stage in stages)
        {
            foreach (var need in stage.Needs)
            {
                if (need == stage.Name)
                {
                    diagnostics.Error(stage.Location, $"stages.{stage.Name}.needs", "a stage cannot need itself");
                }
                else if (!names.Contains(need))
                {
                    diagnostics.Error(stage.Location, $"stages.{stage.Name}.needs", $"unknown stage '{need}'{DidYouMean.Suggest(need, names)}");
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
            diagnostics.Error(first.Location, $"stages.{first.Name}.needs", $"stages depend on each other in a cycle: {string.Join(" -> ", loop)}");
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

    public static void CheckRunTemplates(SpecDiagnostics diagnostics, List<StageDefinition> stages, YamlNode? topRun, Dictionary<string, ParamDefinition> parameters)
    {
        var stageDirs = stages.Select(s => $"stage.{s.Name}.dir");
        foreach (var stage in stages)
        {
            var axes = stage.Foreach.Concat(stage.ForeachByKind.Values.SelectMany(a => a)).Select(a => a.Name).Distinct().ToList();
            foreach (var axis in axes.Where(parameters.ContainsKey))
            {
                diagnostics.Error(stage.Location, $"stages.{stage.Name}.foreach.{axis}", $"axis '{axis}' has the name of a param; rename it");
            }
            // Axes go into config.json and the flags beside the params, so the names Expt sets itself are taken.
            foreach (var axis in axes.Where(a => SpecNames.ReservedParams.Contains(a)))
            {
                diagnostics.Error(stage.Location, $"stages.{stage.Name}.foreach.{axis}", $"axis '{axis}' is reserved by Expt ({string.Join(", ", SpecNames.ReservedParams)}); choose another name");
            }
            var known = parameters.Keys.Concat(BuiltInPlaceholders).Concat(axes).Concat(stageDirs).ToList();
            var runNode = stage.IsImplicit ? topRun : null;
            foreach (var (text, field) in new[] { (stage.Run, "run"), (stage.Merge, "merge") })
            {
                if (text is null) continue;
                var template = Template.TryParse(text, out var problem);
                var label = stage.IsImplicit ? field : $"stages.{stage.Name}.{field}";
                var at = runNode is not null && field == "run" ? diagnostics.At(runNode) : stage.Location;
                if (template is null)
                {
                    diagnostics.Error(at, label, problem!);
                    continue;
                }
                foreach (var f in template.Fields.Distinct().Where(f => !known.Contains(f)))
                {
                    diagnostics.Error(at, label, $"unknown placeholder '{{{f}}}'{DidYouMean.Suggest(f, known)}; use a param, a cell axis, {{stage.NAME.dir}} or one of {string.Join(", ", BuiltInPlaceholders.Select(b => "{" + b + "}"))}");
                }
            }
        }
    }
}
