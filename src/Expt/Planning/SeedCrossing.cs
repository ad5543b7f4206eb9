using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>
/// Crossing variants with the spec's <c>seeds</c>: every matrix point and every include gets one variant per seed,
/// named as the planner names a varying seed (<c>seed-1</c> after the other factors), except an include that fixes
/// its own seed, which runs once. Without seeds nothing changes, so the jobs and identities of such specs stay as
/// they were.
/// </summary>
internal static class SeedCrossing
{
    /// <summary>The param the seeds are given to.</summary>
    public const string Seed = "seed";

    /// <summary>The matrix points, each once per seed (the seed varying fastest); the points unchanged without seeds.</summary>
    public static IEnumerable<Dictionary<string, JsonNode?>> Cross(IEnumerable<Dictionary<string, JsonNode?>> points, IReadOnlyList<long> seeds) =>
        seeds.Count == 0 ? points : points.SelectMany(p => seeds.Select(s => new Dictionary<string, JsonNode?>(p, StringComparer.Ordinal) { [Seed] = JsonValue.Create(s) }));

    /// <summary>The seeds an include runs with: none (once, as written) without seeds or when it fixes its own seed.</summary>
    public static IReadOnlyList<long> SeedsOf(ExperimentDefinition d, IncludeDefinition include) =>
        include.Values.ContainsKey(Seed) ? [] : d.Seeds;

    /// <summary>How many variants the includes make: one per seed for each include that is crossed.</summary>
    public static long IncludeVariants(ExperimentDefinition d) => d.Includes.Sum(i => (long)Math.Max(1, SeedsOf(d, i).Count));

    /// <summary>
    /// The name of a variant crossed with <paramref name="seed"/>: the name it would have without seeds plus
    /// <c>_seed-N</c>, or <c>seed-N</c> alone for the one variant of a spec without matrix and includes. A name
    /// template that already uses <c>{seed}</c> names the variant by itself.
    /// </summary>
    public static string Name(string name, long seed, bool isDefault, bool templateHasSeed) =>
        templateHasSeed ? name : isDefault ? $"seed-{seed}" : $"{name}_seed-{seed}";
}
