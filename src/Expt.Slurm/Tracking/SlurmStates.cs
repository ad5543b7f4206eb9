using System.Globalization;
using Expt.Recording;
using Expt.Slurm.Client;

namespace Expt.Slurm.Tracking;

/// <summary>An attempt's state as Expt records it, with the reason in words.</summary>
/// <param name="State">The Expt state.</param>
/// <param name="Reason">Why, when it is not plain success or progress.</param>
internal sealed record Verdict(JobState State, string? Reason);

/// <summary>
/// Maps what SLURM says about an attempt, together with what the job's wrapper recorded, to an Expt state.
/// The wrapper's files are the truth for exit codes; SLURM's state is the truth for how a job was stopped
/// (cancelled, time limit, memory, node), because a killed command's exit code cannot tell those apart.
/// </summary>
internal static class SlurmStates
{
    /// <summary>SLURM's reason for a job whose dependency can never be satisfied (an upstream job did not succeed).</summary>
    public const string DependencyNeverSatisfied = "DependencyNeverSatisfied";

    /// <summary>States in which the job waits for (another) start.</summary>
    public static bool IsWaiting(string state) => state is "PENDING" or "REQUEUED" or "REQUEUE_HOLD" or "REQUEUE_FED" or "RESV_DEL_HOLD";

    /// <summary>Judges the current attempt. <paramref name="entry"/> is null when the queue does not know the job (any more).</summary>
    public static Verdict Judge(QueueEntry? entry, AttemptMarkers markers, bool cancelRequested)
    {
        ArgumentNullException.ThrowIfNull(markers);
        if (entry is null) return Vanished(markers, cancelRequested);
        var state = entry.State;
        if (IsWaiting(state))
        {
            return entry.Reason == DependencyNeverSatisfied
                ? new Verdict(JobState.Blocked, null)
                : new Verdict(JobState.Queued, $"SLURM {state} ({entry.Reason})");
        }
        return state switch
        {
            "RUNNING" or "COMPLETING" or "CONFIGURING" or "SUSPENDED" or "STOPPED" or "SIGNALING" or "STAGE_OUT" or "RESIZING" =>
                new Verdict(JobState.Running, state == "RUNNING" ? null : $"SLURM {state} ({entry.Reason})"),
            "COMPLETED" => markers.Ended ? ByExitCode(markers) : new Verdict(JobState.Lost, "SLURM reports COMPLETED but the job recorded no end (its wrapper was killed)"),
            "FAILED" => markers.Ended
                ? ByExitCode(markers, zeroIs: "SLURM reports FAILED although the command exited 0 (prolog, epilog or wrapper failure)")
                : new Verdict(JobState.Failed, "SLURM reports FAILED before the job recorded an end (e.g. its log directory was missing)"),
            "TIMEOUT" => new Verdict(JobState.TimedOut, "killed at its SLURM time limit (TIMEOUT)"),
            "DEADLINE" => new Verdict(JobState.TimedOut, "killed at its SLURM deadline (DEADLINE)"),
            "CANCELLED" => entry.Reason == DependencyNeverSatisfied
                ? new Verdict(JobState.Blocked, null)
                : new Verdict(JobState.Cancelled, cancelRequested ? "cancelled by expt cancel" : $"cancelled in SLURM (scancel or an administrator){ReasonSuffix(entry)}"),
            "OUT_OF_MEMORY" => new Verdict(JobState.Failed, "ran out of memory (SLURM OUT_OF_MEMORY)"),
            // The wrapper may record the SIGTERM of a dying node as an exit: only a clean exit 0 beat the failure.
            "NODE_FAIL" => markers.ExitCode == 0 ? ByExitCode(markers) : new Verdict(JobState.Lost, "its node failed (SLURM NODE_FAIL)"),
            "BOOT_FAIL" => new Verdict(JobState.Lost, "its node failed to boot (SLURM BOOT_FAIL)"),
            "PREEMPTED" => new Verdict(JobState.Lost, "preempted by SLURM (PREEMPTED)"),
            "SPECIAL_EXIT" => new Verdict(JobState.Failed, "SLURM SPECIAL_EXIT"),
            "REVOKED" => new Verdict(JobState.Lost, "revoked by SLURM (REVOKED)"),
            _ => new Verdict(JobState.Running, $"SLURM {state} ({entry.Reason})"),
        };
    }

    /// <summary>A job the queue no longer knows: its own files decide; with no recorded end it is lost, never succeeded.</summary>
    private static Verdict Vanished(AttemptMarkers markers, bool cancelRequested)
    {
        if (markers.Ended) return ByExitCode(markers);
        if (cancelRequested) return new Verdict(JobState.Cancelled, "cancelled by expt cancel");
        return markers.Started
            ? new Verdict(JobState.Lost, "left the SLURM queue without recording an end")
            : new Verdict(JobState.Lost, "left the SLURM queue before it started");
    }

    private static Verdict ByExitCode(AttemptMarkers markers, string? zeroIs = null) => markers.ExitCode switch
    {
        0 when zeroIs is null => new Verdict(JobState.Succeeded, null),
        0 => new Verdict(JobState.Failed, zeroIs),
        { } code => new Verdict(JobState.Failed, $"exit code {code.ToString(CultureInfo.InvariantCulture)}"),
        null => new Verdict(JobState.Failed, "the job recorded an end without an exit code"),
    };

    private static string ReasonSuffix(QueueEntry entry) => entry.Reason is "" or "None" ? "" : $" ({entry.Reason})";
}
