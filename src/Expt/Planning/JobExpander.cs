using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>Expands variants × stages × cells × shards into jobs with per-variant dependencies.</summary>
internal static class JobExpander
{
    public static List<PlannedJob> Expand(ExperimentDefinition d, IReadOnlyList<Variant> variants, List<SpecError> errors)
    {
        var ordered = TopologicalOrder(d.Stages);
        var jobs = new List<PlannedJob>();
        foreach (var variant in variants)
        {
            var terminalByStage = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var stage in ordered)
            {
                if (!stage.AppliesTo(variant.Kind)) continue;
                // A stage this variant's kind skips is no dependency at all: the control is evaluated without waiting.
                var needs = stage.Needs.Where(terminalByStage.ContainsKey).SelectMany(n => terminalByStage[n]).ToList();
                var terminal = new List<string>();
                var baseDir = stage.IsImplicit ? variant.Name : $"{variant.Name}/{stage.Name}";
                // Cells are directories: like variant names they must differ in more than letter case.
                var cellNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var cell in Cells(stage.AxesFor(variant.Kind)))
                {
                    var cellName = string.Join("_", cell.Select(kv => $"{kv.Key}-{ParamValues.ToDisplay(kv.Value)}"));
                    if (cellName.Length > 0 && VariantNames.Problem(cellName) is { } problem)
                    {
                        errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.foreach", $"cell '{Planner.Escape(cellName)}' {problem}; cell values become directory names"));
                        continue;
                    }
                    if (cellName.Length > 0 && !cellNames.TryAdd(cellName, cellName))
                    {
                        var other = cellNames[cellName];
                        var how = other == cellName ? "twice (values that differ only in type, such as 1 and \"1\", name the same cell)" : $"and as '{Planner.Escape(other)}', which differs only in letter case";
                        // Reported once per stage, not once per variant.
                        var message = $"cell '{Planner.Escape(cellName)}' is named {how}; cell values become directory names and must be unique";
                        if (!errors.Any(e => e.Message == message)) errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.foreach", message));
                        continue;
                    }
                    var cellDir = cellName.Length == 0 ? baseDir : $"{baseDir}/{cellName}";
                    var args = stage.Args ?? d.Args;
                    var config = variant.Values.Concat(cell).ToList();
                    var shardIds = new List<string>();
                    for (var i = 0; i < stage.Shards; i++)
                    {
                        var dir = stage.Shards == 1 ? cellDir : $"{cellDir}/shard-{i}";
                        var identity = JobIdentity.Compute(stage.Run, args, variant.Kind, config, new ShardSlot(i, stage.Shards, IsMerge: false));
                        jobs.Add(new PlannedJob(dir, variant, stage, cell, i, stage.Shards, false, dir, needs, identity));
                        shardIds.Add(dir);
                    }
                    if (stage.Merge is not null)
                    {
                        var identity = JobIdentity.Compute(stage.Merge, args, variant.Kind, config, new ShardSlot(0, stage.Shards, IsMerge: true));
                        jobs.Add(new PlannedJob(cellDir, variant, stage, cell, 0, stage.Shards, true, cellDir, shardIds, identity));
                        terminal.Add(cellDir);
                    }
                    else
                    {
                        terminal.AddRange(shardIds);
                    }
                }
                terminalByStage[stage.Name] = terminal;
            }
        }
        return jobs;
    }

    private static IEnumerable<List<KeyValuePair<string, JsonNode?>>> Cells(IReadOnlyList<CellAxis> axes)
    {
        IEnumerable<List<KeyValuePair<string, JsonNode?>>> product = [[]];
        foreach (var axis in axes)
        {
            product = product.SelectMany(p => axis.Values.Select(v => new List<KeyValuePair<string, JsonNode?>>(p) { KeyValuePair.Create(axis.Name, ParamValues.Clone(v)) }));
        }
        return product;
    }

    /// <summary>Stages ordered so that every stage comes after the stages it needs (declaration order otherwise).</summary>
    internal static List<StageDefinition> TopologicalOrder(IReadOnlyList<StageDefinition> stages)
    {
        var result = new List<StageDefinition>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = stages.ToList();
        while (remaining.Count > 0)
        {
            var next = remaining.FirstOrDefault(s => s.Needs.All(n => placed.Contains(n) || stages.All(x => x.Name != n)));
            next ??= remaining[0]; // a cycle was reported by the loader; keep going deterministically
            result.Add(next);
            placed.Add(next.Name);
            remaining.Remove(next);
        }
        return result;
    }

    /// <summary>Values that argparse-style entry points would misread when passed as flag values.</summary>
    /// <summary>Values the flags cannot carry (a string starting with '-'), for every variant.</summary>
    internal static void CheckFlagValues(ExperimentDefinition d, Variant variant, List<SpecError> errors)
    {
        if (d.Stages.All(s => (s.Args ?? d.Args) == ArgsMode.None)) return;
        foreach (var (name, value) in variant.Values)
        {
            var param = d.FindParam(name)!;
            if (param.Type.Kind is not (ParamKind.String or ParamKind.Path or ParamKind.Enum) || value is null) continue;
            var text = value.GetValue<string>();
            if (text.StartsWith('-') && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                errors.Add(new SpecError(param.Location, $"params.{name}",
                    $"variant '{variant.Name}': value '{text}' starts with '-' and cannot be passed as a flag value (the entry point would read it as an option); use args: none and read config.json"));
            }
        }
    }
}
