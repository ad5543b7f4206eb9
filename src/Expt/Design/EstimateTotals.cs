using Expt.Planning;

namespace Expt.Design;

/// <summary>The study's totals from each job's estimate.</summary>
public static class EstimateTotals
{
    /// <summary>
    /// Totals of <paramref name="plan"/> run locally with at most <paramref name="parallel"/> jobs at once and
    /// <paramref name="gpuSlots"/> GPUs; declared CPUs and memory do not limit the schedule.
    /// </summary>
    public static DesignTotals Compute(Plan plan, IReadOnlyList<JobEstimate> estimates, int parallel, int gpuSlots) =>
        Compute(plan, estimates, parallel, gpuSlots, int.MaxValue, long.MaxValue);

    /// <summary>
    /// Totals of <paramref name="plan"/>, one estimate per job of <see cref="Plan.Jobs"/> in the same order.
    /// The wall time is a simulated schedule of the local engine (see <c>docs/design.md</c>) where a job with no
    /// estimate takes 0 s; null when no job has one. CPU-hours, GPU-hours and output add up the jobs with a figure; a
    /// GPU job whose history has no GPU time counts its wall time × the GPUs its stage asks for. Disk is the output
    /// plus <see cref="DesignTotals.DiskMargin"/>. Jobs that could never start count in every total but the wall time.
    /// </summary>
    public static DesignTotals Compute(Plan plan, IReadOnlyList<JobEstimate> estimates, int parallel, int gpuSlots, int totalCpus, long totalMemoryMb)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(estimates);
        if (estimates.Count != plan.Jobs.Count)
        {
            throw new ArgumentException($"{estimates.Count} estimate(s) for {plan.Jobs.Count} planned job(s): one per job is expected", nameof(estimates));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);

        var seconds = new double[plan.Jobs.Count];
        double cpu = 0, gpu = 0;
        long output = 0;
        var without = 0;
        for (var i = 0; i < plan.Jobs.Count; i++)
        {
            var e = estimates[i];
            if (Finite(e.WallSeconds) is not { } wall)
            {
                without++;
                continue;
            }
            seconds[i] = wall;
            cpu += Finite(e.CpuSeconds) ?? 0;
            var gpus = plan.Jobs[i].Stage.Resources.Gpus;
            gpu += Finite(e.GpuSeconds) ?? (gpus > 0 ? wall * gpus : 0);
            if (e.OutputBytes is { } bytes && bytes > 0) output = bytes > long.MaxValue - output ? long.MaxValue : output + bytes;
        }
        var schedule = ScheduleSimulation.Run(plan.Jobs, seconds, parallel, ScheduleSimulation.Pool(gpuSlots, totalCpus, totalMemoryMb));
        return new DesignTotals(
            without == plan.Jobs.Count ? null : schedule.Makespan,
            cpu / 3600,
            gpu / 3600,
            output,
            Bytes(Math.Ceiling(output * (1 + DesignTotals.DiskMargin))),
            plan.Jobs.Count,
            without)
        {
            JobsThatCannotStart = schedule.CannotStart,
        };
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) && v >= 0 ? v : null;

    private static long Bytes(double value) => value >= long.MaxValue ? long.MaxValue : (long)value;
}
