using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>Expands variants × stages × cells × shards into jobs with per-variant dependencies.</summary>
internal static class JobExpander
{
    public static List<PlannedJob> Expand(ExperimentDefinition d, IReadOnlyList<Variant> variants, List<SpecError> errors)
    {
        var ordered = TopologicalOrder(d.Stages);
        var jobs = new List<PlannedJob>(variants.Count * ordered.Count);
        // The cells of a stage depend on the variant's kind only: listed once per stage and kind, not once per variant.
        var cellsByKind = new Dictionary<(string Stage, string Kind), List<List<KeyValuePair<string, JsonNode?>>>>();
        var terminalByStage = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var variant in variants)
        {
            terminalByStage.Clear();
            foreach (var stage in ordered)
            {
                if (!stage.AppliesTo(variant.Kind)) continue;
                // A stage this variant's kind skips is no dependency at all: the control is evaluated without waiting.
                var needs = Needs(stage, terminalByStage);
                var baseDir = stage.IsImplicit ? variant.Name : $"{variant.Name}/{stage.Name}";
                if (!cellsByKind.TryGetValue((stage.Name, variant.Kind), out var cells))
                {
                    cells = Cells(stage.AxesFor(variant.Kind)).ToList();
                    cellsByKind[(stage.Name, variant.Kind)] = cells;
                }
                var args = stage.Args ?? d.Args;
                if (cells.Count == 1 && cells[0].Count == 0 && stage.Shards == 1 && stage.Merge is null)
                {
                    // One job, no cell, no shard: the common shape, without the bookkeeping of cells.
                    jobs.Add(new PlannedJob(baseDir, variant, stage, cells[0], 0, 1, false, baseDir, needs, args));
                    terminalByStage[stage.Name] = [baseDir];
                    continue;
                }
                terminalByStage[stage.Name] = ExpandCells(new StageJobs(d, variant, stage, cells, baseDir, needs), jobs, errors);
            }
        }
        return jobs;
    }

    /// <summary>The jobs of one variant in one stage, with their cells and what they wait for.</summary>
    private sealed record StageJobs(ExperimentDefinition Definition, Variant Variant, StageDefinition Stage, List<List<KeyValuePair<string, JsonNode?>>> Cells, string BaseDir, IReadOnlyList<string> Needs);

    /// <summary>Adds the jobs of every cell (its shards and merge) and returns the ids the next stages wait for.</summary>
    private static List<string> ExpandCells(StageJobs at, List<PlannedJob> jobs, List<SpecError> errors)
    {
        var (d, variant, stage, cells, baseDir, needs) = at;
        var args = stage.Args ?? d.Args;
        var terminal = new List<string>();
        // Cells are directories: like variant names they must differ in more than letter case.
        var cellNames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cell in cells)
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
            var shardIds = new List<string>();
            for (var i = 0; i < stage.Shards; i++)
            {
                var dir = stage.Shards == 1 ? cellDir : $"{cellDir}/shard-{i}";
                jobs.Add(new PlannedJob(dir, variant, stage, cell, i, stage.Shards, false, dir, needs, args));
                shardIds.Add(dir);
            }
            if (stage.Merge is not null)
            {
                jobs.Add(new PlannedJob(cellDir, variant, stage, cell, 0, stage.Shards, true, cellDir, shardIds, args));
                terminal.Add(cellDir);
            }
            else
            {
                terminal.AddRange(shardIds);
            }
        }
        return terminal;
    }

    private static IReadOnlyList<string> Needs(StageDefinition stage, Dictionary<string, List<string>> terminalByStage)
    {
        if (stage.Needs.Count == 0) return [];
        var needs = new List<string>();
        foreach (var need in stage.Needs)
        {
            if (terminalByStage.TryGetValue(need, out var ids)) needs.AddRange(ids);
        }
        return needs;
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

    /// <summary>Values the flags cannot carry (a string starting with '-'), for every variant.</summary>
    internal static void CheckFlagValues(ExperimentDefinition d, IReadOnlyList<Variant> variants, List<SpecError> errors)
    {
        if (d.Stages.All(s => (s.Args ?? d.Args) == ArgsMode.None)) return;
        // The params that hold text, by position: every variant lists every param in declaration order.
        var textual = d.Params.Select(p => p.Type.Kind is ParamKind.String or ParamKind.Path or ParamKind.Enum).ToArray();
        foreach (var variant in variants)
        {
            for (var i = 0; i < variant.Values.Count; i++)
            {
                var (name, value) = variant.Values[i];
                var param = i < d.Params.Count && d.Params[i].Name == name ? d.Params[i] : d.FindParam(name)!;
                var isText = i < textual.Length && ReferenceEquals(param, d.Params[i]) ? textual[i] : param.Type.Kind is ParamKind.String or ParamKind.Path or ParamKind.Enum;
                if (!isText || value is null) continue;
                var text = value.GetValue<string>();
                if (text.StartsWith('-') && !double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    errors.Add(new SpecError(param.Location, $"params.{name}",
                        $"variant '{variant.Name}': value '{text}' starts with '-' and cannot be passed as a flag value (the entry point would read it as an option); use args: none and read config.json"));
                }
            }
        }
    }
}
