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
/// <param name="GroupOfVariant">Each variant's group.</param>
/// <param name="Pooled">Params that vary but neither tell groups apart nor are the replicate param (with <c>--by</c>): pooled too.</param>
internal sealed record StudyGrouping(IReadOnlyList<string> By, string? Over, IReadOnlyList<GroupSummary> Groups, IReadOnlyDictionary<string, GroupSummary> GroupOfVariant, IReadOnlyList<string> Pooled)
{
    /// <summary>The default replicate param.</summary>
    public const string Seed = "seed";

    /// <summary>Groups the variants of <paramref name="run"/>.</summary>
    /// <param name="run">The run.</param>
    /// <param name="paramOrder">The params in the spec's order (others follow in the order they first appear).</param>
    /// <param name="by">Params to group by; empty for every param that varies.</param>
    /// <param name="over">The replicate param; null for <c>seed</c> when it varies.</param>
    /// <exception cref="StudyReportException">A param named in <paramref name="by"/> or <paramref name="over"/> is not one of the run's.</exception>
    public static StudyGrouping Of(RunRecord run, IReadOnlyList<string> paramOrder, IReadOnlyList<string> by, string? over)
    {
        var variants = Variants(run);
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
        var jobsOf = run.Jobs.ToLookup(j => j.Entry.Variant, StringComparer.Ordinal);
        foreach (var (kind, vs) in members)
        {
            var values = key.ToDictionary(p => p, p => vs[0].Params.GetValueOrDefault(p)?.DeepClone(), StringComparer.Ordinal);
            var name = Unique(vs.Count == 1 ? vs[0].Name : Label(key, vs[0].Params) ?? kind, kind, taken);
            var jobs = vs.SelectMany(v => jobsOf[v.Name]).ToList();
            var group = new GroupSummary(name, kind, values, vs.Select(v => v.Name).ToList(), CostSummary.Of(jobs));
            groups.Add(group);
            foreach (var v in vs) ofVariant[v.Name] = group;
        }
        var pooled = perVariant ? [] : varying.Where(p => p != over && !key.Contains(p, StringComparer.Ordinal)).ToList();
        return new StudyGrouping(key, over, groups, ofVariant, pooled);
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

    private static string? Label(IReadOnlyList<string> key, IReadOnlyDictionary<string, JsonNode?> values) =>
        key.Count == 0 ? null : string.Join(", ", key.Select(p => $"{p}={(values.TryGetValue(p, out var v) ? ParamValues.ToDisplay(v) : "-")}"));

    // Two groups can share a label only when their kinds differ; the kind tells them apart.
    private static string Unique(string name, string kind, HashSet<string> taken)
    {
        var candidate = taken.Contains(name) ? $"{name} ({kind})" : name;
        for (var i = 2; taken.Contains(candidate); i++) candidate = $"{name} ({kind}) {i}";
        taken.Add(candidate);
        return candidate;
    }

    private sealed record Variant(string Name, string Kind, IReadOnlyDictionary<string, JsonNode?> Params);

    /// <summary>
    /// Every variant in plan order with its kind and params. A variant's params come from the first of its jobs that
    /// has a config.json (a blocked job has none), less the job's cell values, which config.json also holds.
    /// </summary>
    private static List<Variant> Variants(RunRecord run)
    {
        var variants = new List<Variant>();
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var job in run.Jobs)
        {
            var index = indexOf.GetValueOrDefault(job.Entry.Variant, -1);
            if (index >= 0 && variants[index].Params.Count > 0) continue;
            var cell = job.Status?.Cell;
            var values = job.Params.Where(kv => cell is null || !cell.ContainsKey(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var variant = new Variant(job.Entry.Variant, job.Status?.Kind ?? job.Entry.Kind, values);
            if (index >= 0) variants[index] = variant;
            else
            {
                indexOf[variant.Name] = variants.Count;
                variants.Add(variant);
            }
        }
        return variants;
    }
}
