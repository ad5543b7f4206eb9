namespace Expt.Execution.Local;

/// <summary>An attempt the local runner waits for: the job, its process, what it holds and how it is being stopped.</summary>
internal sealed class RunningAttempt
{
    /// <summary>The job.</summary>
    public required JobWork Work { get; init; }

    /// <summary>Its process.</summary>
    public required IJobHandle Handle { get; init; }

    /// <summary>The GPUs, CPUs and memory it holds.</summary>
    public required Allocation Allocation { get; init; }

    /// <summary>The attempt's number.</summary>
    public required int Attempt { get; init; }

    /// <summary>Fires at the job's time limit.</summary>
    public ITimer? Timer { get; set; }

    /// <summary>The largest memory of its whole process tree sampled so far, MiB.</summary>
    public double? PeakRssMb { get; set; }

    /// <summary>Set (from the timer's thread) when it was killed at its time limit.</summary>
    public volatile bool TimedOut;

    /// <summary>Set when it was killed for a stop.</summary>
    public volatile bool Cancelled;

    /// <summary>Peak memory of each running job's whole tree, from one /proc scan for all jobs.</summary>
    public static void SampleMemory(IEnumerable<RunningAttempt> running)
    {
        var list = running.ToList();
        if (list.Count == 0) return;
        var processes = ProcessTree.All().Where(p => p.State is not ('Z' or 'X')).ToList();
        foreach (var r in list)
        {
            var members = ProcessTree.Members(r.Handle.Pid, processes);
            var rss = processes.Where(p => members.Contains(p.Pid)).Sum(p => p.RssPages) * Environment.SystemPageSize / (1024.0 * 1024.0);
            if (rss > 0 && rss > (r.PeakRssMb ?? 0)) r.PeakRssMb = Math.Round(rss, 1);
        }
    }
}
