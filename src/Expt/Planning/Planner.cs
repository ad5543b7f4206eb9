using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>Options that shape a plan without being part of the spec.</summary>
/// <param name="Filters">Keep only variants matching every filter.</param>
/// <param name="Stages">When not empty, keep only jobs of these stages (<c>--only</c>).</param>
/// <param name="SkipStages">Drop the jobs of these stages (<c>--skip</c>).</param>
public sealed record PlanOptions(IReadOnlyList<VariantFilter> Filters, IReadOnlyList<string> Stages, IReadOnlyList<string> SkipStages)
{
    /// <summary>No filters, every stage.</summary>
    public static readonly PlanOptions Default = new([], [], []);

    /// <summary>The most variants the plan may have; checked before anything is expanded (<c>--max-variants</c>).</summary>
    public long MaxVariants { get; init; } = PlanLimits.DefaultMaxVariants;

    /// <summary>The most jobs the plan may have, selected or not (<c>--max-jobs</c>).</summary>
    public long MaxJobs { get; init; } = PlanLimits.DefaultMaxJobs;
}

/// <summary>
/// Expands a definition into variants and jobs. Pure: no file system, no clock; the same definition always
/// gives the same plan, whatever syntax it was written in.
/// </summary>
public static class Planner
{
    /// <summary>Builds the plan, collecting every problem.</summary>
    public static PlanResult Create(ExperimentDefinition definition, PlanOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= PlanOptions.Default;
        var errors = new List<SpecError>();
        var warnings = new List<SpecError>();
        var file = new SourceLocation(Path.GetFileName(definition.SourcePath));
        var tooLarge = PlanSize.Check(definition, options.MaxVariants, options.MaxJobs).ToList();
        if (tooLarge.Count > 0) return new PlanResult(null, tooLarge);

        var variants = ExpandVariants(definition, warnings);
        CheckRequired(definition, variants, errors);
        CheckNames(definition, variants, errors, file);
        CheckKinds(definition, variants, errors);
        JobExpander.CheckFlagValues(definition, variants, errors);
        if (errors.Count > 0) return new PlanResult(null, errors);

        var selected = options.Filters.Count == 0 ? variants : variants.Where(v => options.Filters.All(f => Matches(v, f))).ToList();
        if (variants.Count > 0 && selected.Count == 0)
        {
            errors.Add(new SpecError(new SourceLocation("--filter"), "", $"no variant matches {string.Join(" and ", options.Filters.Select(f => f.Text))}; the plan is empty"));
            return new PlanResult(null, errors);
        }
        foreach (var stage in options.Stages.Concat(options.SkipStages).Where(s => definition.Stages.All(d => d.Name != s)))
        {
            errors.Add(new SpecError(new SourceLocation("--only/--skip"), "", $"unknown stage '{stage}'{DidYouMean.Suggest(stage, definition.Stages.Select(s => s.Name))}"));
        }
        if (errors.Count > 0) return new PlanResult(null, errors);

        var all = JobExpander.Expand(definition, variants, errors);
        if (errors.Count == 0 && HasClash(all))
        {
            // Job ids are directories and the keys of the manifest: whatever produced them, two jobs never share one.
            foreach (var clash in all.GroupBy(j => j.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            {
                errors.Add(new SpecError(file, "", $"two jobs would share the directory '{Escape(clash.Key)}' ({string.Join(", ", clash.Select(j => Escape(j.Id)).Distinct(StringComparer.Ordinal))}); make the variant, stage and cell names differ in more than letter case"));
            }
        }
        var jobs = all;
        if (selected.Count < variants.Count)
        {
            var selectedNames = selected.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            jobs = all.Where(j => selectedNames.Contains(j.Variant.Name)).ToList();
        }
        var kept = options.Stages.Count + options.SkipStages.Count == 0 ? jobs
            : jobs.Where(j => (options.Stages.Count == 0 || options.Stages.Contains(j.Stage.Name)) && !options.SkipStages.Contains(j.Stage.Name)).ToList();
        if (errors.Count == 0 && kept.Count == 0)
        {
            errors.Add(new SpecError(file, "", variants.Count == 0
                ? "the plan is empty: every matrix point is excluded and there is no include"
                : options.Stages.Count + options.SkipStages.Count > 0 && jobs.Count > 0
                    ? $"the plan is empty: with {string.Join(" and ", new[] { options.Stages.Count > 0 ? "--only " + string.Join(' ', options.Stages) : null, options.SkipStages.Count > 0 ? "--skip " + string.Join(' ', options.SkipStages) : null }.OfType<string>())} no stage is left to run"
                    : "the plan is empty: no stage applies to the selected variants"));
        }
        return errors.Count > 0
            ? new PlanResult(null, errors)
            : new PlanResult(new Plan(definition, selected, kept, warnings) { AllJobs = all }, []);
    }

    /// <summary>Whether two jobs would share a directory (ids equal but for letter case); the common answer, no, without grouping.</summary>
    private static bool HasClash(List<PlannedJob> jobs)
    {
        var ids = new HashSet<string>(jobs.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var job in jobs)
        {
            if (!ids.Add(job.Id)) return true;
        }
        return false;
    }

    private static bool Matches(Variant v, VariantFilter f) => f.Key switch
    {
        "kind" => v.Kind == f.Value?.GetValue<string>(),
        "variant" => v.Name == f.Value?.GetValue<string>(),
        _ => ParamValues.AreEqual(v.Get(f.Key), f.Value),
    };

    private static List<Variant> ExpandVariants(ExperimentDefinition d, List<SpecError> warnings)
    {
        var template = d.NameTemplate is null ? null : Template.TryParse(d.NameTemplate, out _);
        var templateHasSeed = template?.Fields.Contains(SeedCrossing.Seed) == true;
        // Crossed is the seed a point got from `seeds:`, which its name then shows.
        var points = new List<(string Kind, string? Name, Dictionary<string, JsonNode?> Values, long? Crossed)>();
        if (d.Matrix.Count > 0 || d.Includes.Count == 0)
        {
            // Crossed before the excludes, so that an exclude may name a seed.
            var all = SeedCrossing.Cross(MatrixProduct(d.Matrix), d.Seeds).ToList();
            var used = new bool[d.Excludes.Count];
            foreach (var point in all)
            {
                var excluded = false;
                for (var i = 0; i < d.Excludes.Count; i++)
                {
                    if (Selects(d, d.Excludes[i], point))
                    {
                        used[i] = true;
                        excluded = true;
                    }
                }
                if (!excluded) points.Add(("default", null, point, d.Seeds.Count > 0 ? point[SeedCrossing.Seed]!.GetValue<long>() : null));
            }
            for (var i = 0; i < used.Length; i++)
            {
                if (!used[i]) warnings.Add(new SpecError(d.Excludes[i].Location, $"exclude[{i}]", "matches no variant of the matrix"));
            }
        }
        // An include without a name (and no template) is named by its kind, numbered when several share it.
        var kindCounts = points.Select(p => p.Kind).Concat(d.Includes.Select(i => i.Kind)).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var kindSeen = new Dictionary<string, int>();
        foreach (var include in d.Includes)
        {
            var name = include.Name;
            if (name is null && template is null)
            {
                kindSeen[include.Kind] = kindSeen.GetValueOrDefault(include.Kind) + 1;
                name = kindCounts[include.Kind] == 1 ? include.Kind : $"{include.Kind}_{kindSeen[include.Kind]}";
            }
            var seeds = SeedCrossing.SeedsOf(d, include);
            if (seeds.Count == 0) points.Add((include.Kind, name, new Dictionary<string, JsonNode?>(include.Values, StringComparer.Ordinal), null));
            foreach (var seed in seeds)
            {
                points.Add((include.Kind, name, new Dictionary<string, JsonNode?>(include.Values, StringComparer.Ordinal) { [SeedCrossing.Seed] = JsonValue.Create(seed) }, seed));
            }
        }

        var result = new List<Variant>(points.Count);
        var nameBuilder = new System.Text.StringBuilder();
        foreach (var (kind, fixedName, set, crossed) in points)
        {
            var values = new KeyValuePair<string, JsonNode?>[d.Params.Count];
            var changed = new List<string>();
            for (var at = 0; at < d.Params.Count; at++)
            {
                var p = d.Params[at];
                var value = set.TryGetValue(p.Name, out var v) ? v : p.Default;
                // Shared, not copied: nothing changes a planned value, and every writer of one (config.json, the
                // identity, the plan's JSON) writes it through a Utf8JsonWriter, never into another node.
                values[at] = KeyValuePair.Create(p.Name, value);
                // --set replaces the default, so a value set there equals it: it still differs from what the spec says.
                if (!ParamValues.AreEqual(value, p.Default) || (p.IsRequired && set.ContainsKey(p.Name)) || p.IsSetOnCommandLine || (crossed is not null && p.Name == SeedCrossing.Seed))
                {
                    changed.Add(p.Name);
                }
            }
            string name;
            if (fixedName is not null) name = fixedName;
            else if (template is not null)
            {
                name = template.Render(f => f == "kind" ? kind : ParamValues.ToDisplay(values.First(kv => kv.Key == f).Value));
            }
            else if (d.Matrix.Count == 0) name = "default";
            else name = MatrixName(nameBuilder, d.Matrix, set);
            if (crossed is { } seed) name = SeedCrossing.Name(name, seed, isDefault: fixedName is null && template is null && d.Matrix.Count == 0, templateHasSeed && fixedName is null);
            result.Add(new Variant(name, kind, values, changed));
        }
        return result;
    }

    /// <summary>Every matrix point, the last factor varying fastest: one dictionary per point, none for the partial products.</summary>
    private static IEnumerable<Dictionary<string, JsonNode?>> MatrixProduct(IReadOnlyList<MatrixFactor> factors)
    {
        if (factors.Any(f => f.Levels.Count == 0)) yield break;
        var index = new int[factors.Count];
        while (true)
        {
            // Room for the seed a crossing adds.
            var point = new Dictionary<string, JsonNode?>(factors.Count + 1, StringComparer.Ordinal);
            for (var i = 0; i < factors.Count; i++) point[factors[i].Param] = factors[i].Levels[index[i]];
            yield return point;
            var at = factors.Count - 1;
            while (at >= 0 && ++index[at] == factors[at].Levels.Count) index[at--] = 0;
            if (at < 0) yield break;
        }
    }

    /// <summary><c>a-1_b-2</c>: the name of a matrix point without a name template.</summary>
    private static string MatrixName(System.Text.StringBuilder sb, IReadOnlyList<MatrixFactor> factors, Dictionary<string, JsonNode?> point)
    {
        sb.Clear();
        foreach (var f in factors)
        {
            if (sb.Length > 0) sb.Append('_');
            sb.Append(f.Param).Append('-').Append(ParamValues.ToDisplay(point[f.Param]));
        }
        return sb.ToString();
    }

    private static bool Selects(ExperimentDefinition d, VariantSelector selector, Dictionary<string, JsonNode?> point) =>
        selector.Values.All(kv => ParamValues.AreEqual(point.TryGetValue(kv.Key, out var v) ? v : d.FindParam(kv.Key)?.Default, kv.Value));

    private static void CheckRequired(ExperimentDefinition d, List<Variant> variants, List<SpecError> errors)
    {
        foreach (var p in d.Params.Where(p => p.IsRequired))
        {
            var missing = variants.Where(v => !v.Changed.Contains(p.Name) && !d.Matrix.Any(f => f.Param == p.Name)).Select(v => v.Name).ToList();
            if (missing.Count > 0)
            {
                errors.Add(new SpecError(p.Location, $"params.{p.Name}", $"has no default and is not set for {Describe(missing)}; give it a default, a matrix factor or --set {p.Name}=..."));
            }
        }
    }

    private static void CheckNames(ExperimentDefinition d, List<Variant> variants, List<SpecError> errors, SourceLocation file)
    {
        var at = d.NameTemplateLocation ?? file;
        foreach (var v in variants)
        {
            var problem = VariantNames.Problem(v.Name);
            if (problem is not null)
            {
                var include = d.Includes.FirstOrDefault(i => i.Name == v.Name);
                errors.Add(new SpecError(include?.Location ?? at, include is not null ? "include.name" : "name", $"variant name '{Escape(v.Name)}' {problem}; names become directory names"));
            }
        }
        // Names are almost always unique: one set says so, and only a clash pays for the grouping that describes it.
        var unique = new HashSet<string>(variants.Count, StringComparer.OrdinalIgnoreCase);
        if (variants.All(v => unique.Add(v.Name))) return;
        foreach (var group in variants.GroupBy(v => v.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            // Names an include sets itself are fixed there, not in the template.
            var named = d.Includes.Where(i => i.Name == group.Key).ToList();
            if (named.Count > 0)
            {
                errors.Add(new SpecError(named[^1].Location, "include.name", $"{group.Count()} variants are named '{group.Key}'; give each include its own name"));
                continue;
            }
            var differing = d.Params.Where(p => group.Select(v => ParamValues.ToDisplay(v.Get(p.Name))).Distinct().Count() > 1).Select(p => "{" + p.Name + "}").ToList();
            var hint = differing.Count > 0 ? $"; add {string.Join(", ", differing)} to the name template" : "; these variants are identical";
            errors.Add(new SpecError(at, "name", $"{group.Count()} variants are named '{group.Key}'{hint}"));
        }
        foreach (var group in variants.GroupBy(v => v.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Select(v => v.Name).Distinct().Count() > 1))
        {
            errors.Add(new SpecError(at, "name", $"variant names {string.Join(" and ", group.Select(v => $"'{v.Name}'").Distinct())} differ only in case; they would collide on case-insensitive file systems"));
        }
    }

    /// <summary>A kind named by a stage that no variant has is almost always a typo: the stage would silently apply to nobody.</summary>
    private static void CheckKinds(ExperimentDefinition d, List<Variant> variants, List<SpecError> errors)
    {
        var kinds = variants.Select(v => v.Kind).Append("default").Distinct().ToList();
        foreach (var stage in d.Stages)
        {
            foreach (var kind in stage.Kinds.Where(k => !kinds.Contains(k)))
            {
                errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.kinds", $"no variant has kind '{kind}'{DidYouMean.Suggest(kind, kinds)}; kinds in this spec: {string.Join(", ", kinds)}"));
            }
            foreach (var kind in stage.ForeachByKind.Keys.Where(k => !kinds.Contains(k)))
            {
                errors.Add(new SpecError(stage.Location, $"stages.{stage.Name}.foreach_by_kind", $"no variant has kind '{kind}'{DidYouMean.Suggest(kind, kinds)}; kinds in this spec: {string.Join(", ", kinds)}"));
            }
        }
    }

    internal static string Describe(List<string> names) =>
        names.Count <= 3 ? "variant " + string.Join(", ", names.Select(n => $"'{n}'")) : $"{names.Count} variants ('{names[0]}', '{names[1]}', …)";

    internal static string Escape(string s) => Internal.VisibleText.Escape(s);
}
