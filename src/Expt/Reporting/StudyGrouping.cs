using System.Text.Json.Nodes;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting;

/// <summary>
/// How a study's variants fall into groups: by the params that vary (or those named with <c>--by</c>), pooling the
/// replicate param (<c>--over</c>, by default <c>seed</c> when it varies). A group never mixes kinds, so a control
/// is never pooled with the treatments it is compared with.
/// </summary>
/// <param name="By">The params that tell groups apart, in the report's param order (or as named).</param>
/// <param name="Over">The replicate param; null when each variant is its own group.</param>
/// <param name="Groups">The groups, in plan order of their first variant.</param>
/// <param name="GroupOfVariant">Each variant's group, keyed by <see cref="Key"/> (run index and variant name).</param>
/// <param name="Pooled">Params that vary but neither tell groups apart nor are the replicate param (with <c>--by</c>): averaged within each replicate.</param>
internal sealed record StudyGrouping(IReadOnlyList<string> By, string? Over, IReadOnlyList<GroupSummary> Groups, IReadOnlyDictionary<string, GroupSummary> GroupOfVariant, IReadOnlyList<string> Pooled)
{
    /// <summary>The default replicate param.</summary>
    public const string Seed = "seed";

    /// <summary>The key of a variant of the <paramref name="run"/>th run in <see cref="GroupOfVariant"/>.</summary>
    public static string Key(int run, string variant) => $"{run.ToString(System.Globalization.CultureInfo.InvariantCulture)}\u0001{variant}";

    /// <summary>The group of a variant named on the command line (<c>--baseline</c>): its group in the first run that has it.</summary>
    public GroupSummary? GroupOfName(string variant) =>
        GroupOfVariant.Where(kv => kv.Key.EndsWith("\u0001" + variant, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).FirstOrDefault();

    /// <summary>Every variant name, once, in the order of the runs.</summary>
    public IEnumerable<string> VariantNames => GroupOfVariant.Keys.Select(k => k.Split('\u0001', 2)[1]).Distinct(StringComparer.Ordinal);

    /// <summary>The values of the group params of every variant (run index and name), with the params each does not use left out.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonNode?>> ParamsOf { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, JsonNode?>>();

    /// <summary>Groups the variants of <paramref name="runs"/> (runs of one experiment, pooled).</summary>
    /// <param name="runs">The runs, with the params each of their variants does not use (see <see cref="Pooling.DeclaredParams"/>).</param>
    /// <param name="paramOrder">The params in the spec's order (others follow in the order they first appear).</param>
    /// <param name="by">Params to group by; empty for every param that varies.</param>
    /// <param name="over">The replicate param; null for <c>seed</c> when it varies.</param>
    /// <exception cref="StudyReportException">A param named in <paramref name="by"/> or <paramref name="over"/> is not one of the run's.</exception>
    public static StudyGrouping Of(IReadOnlyList<(RunRecord Run, Pooling.DeclaredParams Declared)> runs, IReadOnlyList<string> paramOrder, IReadOnlyList<string> by, string? over)
    {
        var variants = runs.SelectMany((r, i) => Variants(r.Run, i, r.Declared)).ToList();
        var names = paramOrder.Concat(variants.SelectMany(v => v.Params.Keys)).Distinct(StringComparer.Ordinal)
            .Where(p => variants.Any(v => v.Params.ContainsKey(p))).ToList();
        foreach (var p in by.Append(over).OfType<string>()) Known(p, names, p == over ? "--over" : "--by");
        if (over is not null && by.Contains(over, StringComparer.Ordinal)) throw new StudyReportException($"'{over}' cannot be both a group param (--by) and the replicate param (--over)");
        var varying = names.Where(p => !variants.All(v => Same(v.Params, variants[0].Params, p))).ToList();
        over ??= varying.Contains(Seed) && !by.Contains(Seed, StringComparer.Ordinal) ? Seed : null;
        IReadOnlyList<string> key = by.Count > 0 ? by : varying.Where(p => p != over).ToList();
        // Without a replicate param nothing is pooled: each variant is its own group of one.
        var perVariant = by.Count == 0 && over is null;

        var members = new List<(string Kind, List<Variant> Variants)>();
        var memberIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in variants)
        {
            var id = string.Join("\u0001", [v.Kind, .. key.Select(p => v.Params.TryGetValue(p, out var value) ? ParamValues.ToCompactJson(value) : "\u0002"), perVariant ? v.Name : ""]);
            if (memberIndex.TryGetValue(id, out var existing)) members[existing].Variants.Add(v);
            else
            {
                memberIndex[id] = members.Count;
                members.Add((v.Kind, [v]));
            }
        }

        var groups = new List<GroupSummary>();
        var ofVariant = new Dictionary<string, GroupSummary>(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var jobsOf = runs.SelectMany((r, i) => r.Run.Jobs.Select(j => (Key: Key(i, j.Entry.Variant), Job: j))).ToLookup(j => j.Key, j => j.Job, StringComparer.Ordinal);
        // A label names only what tells the groups of its kind apart (not a tags=[] every treatment shares because a
        // control sets it); a kind with one group is labelled by every param it has.
        var labelKeys = members.GroupBy(m => m.Kind, StringComparer.Ordinal).ToDictionary(
            k => k.Key,
            k => k.Count() < 2 ? key : key.Where(p => k.Any(m => !Same(m.Variants[0].Params, k.First().Variants[0].Params, p))).ToList(),
            StringComparer.Ordinal);
        foreach (var (kind, vs) in members)
        {
            // A param the group's variants do not use (a control's matrix factors) is neither shown nor named.
            var values = key.Where(p => vs[0].Params.ContainsKey(p)).ToDictionary(p => p, p => vs[0].Params[p]?.DeepClone(), StringComparer.Ordinal);
            var variantNames = vs.Select(v => v.Name).Distinct(StringComparer.Ordinal).ToList();
            var name = Unique(variantNames.Count == 1 ? variantNames[0] : Label(labelKeys[kind], vs[0].Params) ?? kind, kind, taken);
            var jobs = vs.SelectMany(v => jobsOf[Key(v.Run, v.Name)]).ToList();
            var group = new GroupSummary(name, kind, values, variantNames, CostSummary.Of(jobs));
            groups.Add(group);
            foreach (var v in vs) ofVariant[Key(v.Run, v.Name)] = group;
        }
        var pooled = perVariant ? [] : varying.Where(p => p != over && !key.Contains(p, StringComparer.Ordinal)).ToList();
        return new StudyGrouping(key, over, groups, ofVariant, pooled) { ParamsOf = variants.ToDictionary(v => Key(v.Run, v.Name), v => v.Params, StringComparer.Ordinal) };
    }

    private static void Known(string param, IReadOnlyList<string> names, string option)
    {
        if (!names.Contains(param, StringComparer.Ordinal))
        {
            throw new StudyReportException($"unknown param '{param}' for {option}{DidYouMean.Suggest(param, names)}; the run's params are {string.Join(", ", names)}");
        }
    }

    private static bool Same(IReadOnlyDictionary<string, JsonNode?> a, IReadOnlyDictionary<string, JsonNode?> b, string param) =>
        a.TryGetValue(param, out var x) == b.TryGetValue(param, out var y) && ParamValues.AreEqual(x, y);

    private static string? Label(IReadOnlyList<string> key, IReadOnlyDictionary<string, JsonNode?> values)
    {
        var used = key.Where(values.ContainsKey).ToList();
        return used.Count == 0 ? null : string.Join(", ", used.Select(p => $"{p}={ParamValues.ToDisplay(values[p])}"));
    }

    // Two groups can share a label only when their kinds differ; the kind tells them apart.
    private static string Unique(string name, string kind, HashSet<string> taken)
    {
        var candidate = taken.Contains(name) ? $"{name} ({kind})" : name;
        for (var i = 2; taken.Contains(candidate); i++) candidate = $"{name} ({kind}) {i}";
        taken.Add(candidate);
        return candidate;
    }

    private sealed record Variant(int Run, string Name, string Kind, IReadOnlyDictionary<string, JsonNode?> Params);

    /// <summary>
    /// Every variant in plan order with its kind and params. A variant's params come from the first of its jobs that
    /// has a config.json (a blocked job has none), less the job's cell values, which config.json also holds, and less the
    /// params the variant does not use.
    /// </summary>
    private static List<Variant> Variants(RunRecord run, int runIndex, Pooling.DeclaredParams declared)
    {
        var variants = new List<Variant>();
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in run.Jobs)
        {
            var index = indexOf.GetValueOrDefault(job.Entry.Variant, -1);
            if (index >= 0 && variants[index].Params.Count > 0) continue;
            var cell = job.Status?.Cell;
            var values = job.Params.Where(kv => cell is null || !cell.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var variant = new Variant(runIndex, job.Entry.Variant, job.Status?.Kind ?? job.Entry.Kind, values);
            if (index >= 0) variants[index] = variant;
            else
            {
                indexOf[variant.Name] = variants.Count;
                variants.Add(variant);
            }
        }
        var unused = declared.Unused(variants.Select(v => (v.Name, v.Kind, v.Params)).ToList());
        return variants.Select(v => unused.TryGetValue(v.Name, out var hidden)
            ? v with { Params = v.Params.Where(kv => !hidden.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) }
            : v).ToList();
    }
}
