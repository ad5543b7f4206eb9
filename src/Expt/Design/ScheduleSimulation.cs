using System.Globalization;
using Expt.Execution;
using Expt.Planning;

namespace Expt.Design;

/// <summary>What a simulated schedule came to.</summary>
/// <param name="Makespan">Seconds from the first start to the last end.</param>
/// <param name="Started">Per job of the plan: when it would start, or null when it never could.</param>
/// <param name="CannotStart">How many jobs never could.</param>
internal sealed record ScheduleOutcome(double Makespan, IReadOnlyList<double?> Started, int CannotStart);

/// <summary>
/// Replays how the local engine would run a plan, with each job taking its estimated seconds: ready jobs start in
/// plan order while fewer than <c>-p</c> run and the resource pool grants what the stage asks for (looking past at
/// most <c>4p + 64</c> ready jobs that do not fit, as the engine does), a job becomes ready when every job it needs
/// has ended, and jobs that end at the same moment release their resources together before the next launch.
/// </summary>
/// <remarks>
/// A job the engine would never start is left out and counted: a stage asking for more GPUs, CPUs or memory than the
/// pool has (the local executor refuses such a plan outright), a need outside the plan's selection (a new run blocks it),
/// and every job depending on one of those. Retries, failures and fail-fast are not simulated: every job succeeds once.
/// </remarks>
internal static class ScheduleSimulation
{
    /// <summary>Simulates <paramref name="jobs"/> taking <paramref name="seconds"/> each.</summary>
    public static ScheduleOutcome Run(IReadOnlyList<PlannedJob> jobs, IReadOnlyList<double> seconds, int parallel, ResourcePool pool)
    {
        var n = jobs.Count;
        var index = new Dictionary<string, int>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++) index[jobs[i].Id] = i;
        var unmet = new int[n];
        var dependants = new List<int>?[n];
        var never = new bool[n];
        var blocked = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            foreach (var need in jobs[i].Needs)
            {
                if (index.TryGetValue(need, out var j))
                {
                    unmet[i]++;
                    (dependants[j] ??= []).Add(i);
                }
                else
                {
                    never[i] = true;
                }
            }
            if (pool.Impossible(jobs[i].Stage.Resources) is not null) never[i] = true;
            if (never[i]) blocked.Push(i);
        }
        while (blocked.Count > 0)
        {
            foreach (var d in dependants[blocked.Pop()] ?? [])
            {
                if (never[d]) continue;
                never[d] = true;
                blocked.Push(d);
            }
        }

        var ready = new SortedSet<int>(Enumerable.Range(0, n).Where(i => !never[i] && unmet[i] == 0));
        var running = new PriorityQueue<(int Job, Allocation Held), double>();
        var started = new double?[n];
        var now = 0.0;
        var launch = new List<(int Job, Allocation Held)>();
        while (true)
        {
            launch.Clear();
            var skipped = 0;
            foreach (var i in ready)
            {
                if (running.Count + launch.Count >= parallel) break;
                var held = pool.TryAcquire(jobs[i].Stage.Resources);
                if (held is null)
                {
                    if (++skipped > 4 * parallel + 64) break;
                    continue;
                }
                launch.Add((i, held));
            }
            foreach (var (i, held) in launch)
            {
                ready.Remove(i);
                started[i] = now;
                running.Enqueue((i, held), now + seconds[i]);
            }
            // Nothing runs, so the whole pool is free: a ready job that still does not fit never will (not reached for
            // requests within the pool, which Impossible already sorted out).
            if (running.Count == 0) break;

            running.TryPeek(out _, out var end);
            now = end;
            while (running.TryPeek(out var done, out var at) && at <= now)
            {
                running.Dequeue();
                pool.Release(done.Held);
                foreach (var d in dependants[done.Job] ?? [])
                {
                    if (--unmet[d] == 0 && !never[d]) ready.Add(d);
                }
            }
        }
        return new ScheduleOutcome(now, started, started.Count(s => s is null));
    }

    /// <summary>A pool of <paramref name="gpuSlots"/> GPUs and the given CPUs and memory.</summary>
    public static ResourcePool Pool(int gpuSlots, int totalCpus, long totalMemoryMb) =>
        new([.. Enumerable.Range(0, Math.Max(0, gpuSlots)).Select(i => i.ToString(CultureInfo.InvariantCulture))], totalCpus, totalMemoryMb);
}
