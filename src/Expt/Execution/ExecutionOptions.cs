namespace Expt.Execution;

/// <summary>How a run executes on this machine. None of these change a job's identity.</summary>
/// <param name="Parallelism">Most jobs running at once.</param>
/// <param name="KillGrace">Time between SIGTERM and SIGKILL when stopping a job.</param>
/// <param name="Gpus">GPU ids jobs may be given (CUDA_VISIBLE_DEVICES); empty when none.</param>
/// <param name="TotalCpus">CPUs that declared <c>resources.cpus</c> share.</param>
/// <param name="TotalMemoryMb">Memory that declared <c>resources.mem</c> shares.</param>
/// <param name="RetryBackoff">Delay before the first retry; doubled for each further one, at most 5 minutes.</param>
public sealed record ExecutionOptions(
    int Parallelism,
    TimeSpan KillGrace,
    IReadOnlyList<string> Gpus,
    int TotalCpus,
    long TotalMemoryMb,
    TimeSpan RetryBackoff)
{
    /// <summary>
    /// Return once the jobs are handed to a scheduler instead of following them to their end
    /// (<c>expt run --detach</c>); executors that run jobs themselves ignore it.
    /// </summary>
    public bool Detach { get; init; }

    /// <summary>Run every job even when a stage's first jobs all fail the same way (<c>--keep-going</c>; see <see cref="FailFast"/>).</summary>
    public bool KeepGoing { get; init; }

    /// <summary>Defaults for this machine: one job per core, 10 s grace, no GPUs.</summary>
    public static ExecutionOptions ForThisMachine() =>
        new(Environment.ProcessorCount, TimeSpan.FromSeconds(10), [], Environment.ProcessorCount, MachineMemoryMb(), TimeSpan.FromSeconds(5));

    /// <summary>Physical memory in MiB, from /proc/meminfo.</summary>
    public static long MachineMemoryMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }
        catch (IOException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
    }
}
