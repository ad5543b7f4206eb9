using System.Globalization;
using System.Numerics;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>The most variants and jobs a plan may have unless the caller raises the limits.</summary>
public static class PlanLimits
{
    /// <summary>Default most variants (<c>--max-variants</c>).</summary>
    public const long DefaultMaxVariants = 1_000_000;

    /// <summary>Default most jobs, counting every cell, shard and merge (<c>--max-jobs</c>).</summary>
    public const long DefaultMaxJobs = 1_000_000;
}

/// <summary>
/// Counts a definition's variants and jobs from the sizes of its factors, axes and shards, before anything is
/// expanded: a matrix of ten factors of ten levels is ten billion variants, which would take all memory long
/// before the expansion ended. Every variant counts once per seed of <c>seeds:</c>. Exact arithmetic (no overflow)
/// and an upper bound: excludes, which can only drop matrix points, are not subtracted.
/// </summary>
internal static class PlanSize
{
    /// <summary>The errors for a plan beyond <paramref name="maxVariants"/> variants or <paramref name="maxJobs"/> jobs; none when it fits.</summary>
    public static IEnumerable<SpecError> Check(ExperimentDefinition d, long maxVariants, long maxJobs)
    {
        var points = MatrixPoints(d) * Math.Max(1, d.Seeds.Count);
        var variants = points + SeedCrossing.IncludeVariants(d);
        if (variants > maxVariants)
        {
            var at = d.Matrix.Count > 0 ? d.Matrix[0].Location : new SourceLocation(Path.GetFileName(d.SourcePath));
            var levels = string.Join(" × ", d.Matrix.Select(f => f.Levels.Count.ToString(CultureInfo.InvariantCulture)));
            var includes = d.Includes.Count == 0 ? "" : $" and {Count(d.Includes.Count)} include(s)";
            var seeds = d.Seeds.Count == 0 ? "" : $", times {Count(d.Seeds.Count)} seeds";
            yield return new SpecError(at, "matrix",
                $"the plan would have {Count(variants)} variants (matrix levels {levels} multiplied{includes}{seeds}; excludes are not subtracted), more than the limit of {Count(maxVariants)}; make the matrix smaller, or {Raise("--max-variants", variants)}");
        }
        var perStage = d.Stages.Select(s => (Stage: s, Jobs: points * JobsPerVariant(s, "default")
            + d.Includes.Aggregate(BigInteger.Zero, (sum, i) => sum + Math.Max(1, SeedCrossing.SeedsOf(d, i).Count) * JobsPerVariant(s, i.Kind)))).ToList();
        var jobs = perStage.Aggregate(BigInteger.Zero, (sum, s) => sum + s.Jobs);
        if (jobs > maxJobs)
        {
            var (stage, most) = perStage.MaxBy(s => s.Jobs);
            var shape = stage.Foreach.Count + stage.ForeachByKind.Count > 0 || stage.Shards > 1 ? " (its cells, shards and merges for every variant)" : "";
            yield return new SpecError(stage.Location, stage.IsImplicit ? "run" : $"stages.{stage.Name}",
                $"the plan would have {Count(jobs)} jobs, {Count(most)} of them in stage '{stage.Name}'{shape}, more than the limit of {Count(maxJobs)}; make the matrix or the foreach axes smaller, or {Raise("--max-jobs", jobs)}");
        }
    }

    /// <summary>The matrix points before excludes: the product of the level counts (one point for no matrix, none for includes alone).</summary>
    public static BigInteger MatrixPoints(ExperimentDefinition d) =>
        d.Matrix.Count == 0 && d.Includes.Count > 0 ? BigInteger.Zero : d.Matrix.Aggregate(BigInteger.One, (p, f) => p * f.Levels.Count);

    /// <summary>The jobs one variant of <paramref name="kind"/> has in <paramref name="stage"/>: cells × (shards + a merge).</summary>
    private static BigInteger JobsPerVariant(StageDefinition stage, string kind)
    {
        if (!stage.AppliesTo(kind)) return BigInteger.Zero;
        var cells = stage.AxesFor(kind).Aggregate(BigInteger.One, (p, a) => p * a.Values.Count);
        return cells * ((BigInteger)stage.Shards + (stage.Merge is null ? 0 : 1));
    }

    private static string Count(BigInteger n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Raise(string option, BigInteger needed) => needed <= int.MaxValue
        ? $"raise the limit with {option} {needed.ToString(CultureInfo.InvariantCulture)}"
        : $"split it: no single run can hold that many ({option} goes up to {Count(int.MaxValue)})";
}
