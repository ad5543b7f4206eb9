using Expt.Internal;

namespace Expt.Slurm.Tracking;

/// <summary>
/// <c>.expt/slurm/cancel.json</c>: written by <c>expt cancel</c>. A follower that sees a job cancelled (or, for a
/// pending array task, vanished without a trace) after this time knows who cancelled it.
/// </summary>
/// <param name="RequestedAt">When the cancel was requested.</param>
/// <param name="By">Who asked (user@host).</param>
internal sealed record CancelRequest(DateTimeOffset RequestedAt, string By)
{
    public static CancelRequest? Read(string runDir) => JsonFiles.TryRead<CancelRequest>(SlurmPaths.CancelMarker(runDir), SlurmJsonContext.Files);

    public void Write(string runDir) => JsonFiles.Write(SlurmPaths.CancelMarker(runDir), this, SlurmJsonContext.Files);

    /// <summary>Whether the request concerns an attempt submitted at <paramref name="submittedAt"/> (a later resubmission is not cancelled).</summary>
    public bool Covers(DateTimeOffset? submittedAt) => submittedAt is null || submittedAt <= RequestedAt;
}
