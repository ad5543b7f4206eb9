namespace Expt.Design;

/// <summary>The whole study's estimated cost.</summary>
/// <param name="WallSeconds">Wall time of the whole study under the given parallelism, GPU slots and stage dependencies (a simulated schedule); null when no job has history.</param>
/// <param name="CpuHours">CPU-hours of the jobs with an estimate.</param>
/// <param name="GpuHours">GPU-hours of the jobs with an estimate.</param>
/// <param name="OutputBytes">Estimated output of the jobs with an estimate.</param>
/// <param name="DiskBytes">The disk to have free: <paramref name="OutputBytes"/> plus a 20% margin.</param>
/// <param name="Jobs">Planned jobs.</param>
/// <param name="JobsWithoutHistory">Planned jobs with no figure (their cost is left out of every total).</param>
public sealed record DesignTotals(double? WallSeconds, double CpuHours, double GpuHours, long OutputBytes, long DiskBytes, int Jobs, int JobsWithoutHistory)
{
    /// <summary>The margin added to the estimated output for the disk needed.</summary>
    public const double DiskMargin = 0.20;

    /// <summary>
    /// Planned jobs that could never start where the study is simulated: a stage asking for more GPUs (CPUs, memory) than
    /// there are, a need outside the selection, and every job that needs one of those. Left out of <see cref="WallSeconds"/>;
    /// <c>expt run</c> itself refuses such a plan, or blocks those jobs.
    /// </summary>
    public int JobsThatCannotStart { get; init; }
}
