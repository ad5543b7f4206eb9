namespace Expt.Archiving;

/// <summary>How an archive request ended.</summary>
public enum ArchiveOutcome
{
    /// <summary>Archived: verified copy, pointer written, original deleted.</summary>
    Archived,

    /// <summary>A dry run: nothing changed.</summary>
    DryRun,

    /// <summary>Refused before anything changed (incomplete run, live runner, destination differs, bad input).</summary>
    Refused,

    /// <summary>Copying or verifying failed: the original is intact and the partial copy removed.</summary>
    Failed,
}

/// <summary>The result of <see cref="Archiver.Archive"/>.</summary>
public sealed record ArchiveResult
{
    /// <summary>How it ended.</summary>
    public required ArchiveOutcome Outcome { get; init; }

    /// <summary>Why it was refused or failed.</summary>
    public string? Error { get; init; }

    /// <summary>The run directory.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Where the archive is (or would be).</summary>
    public string? Destination { get; init; }

    /// <summary>The pointer file left where the run was.</summary>
    public string? PointerPath { get; init; }

    /// <summary>What is kept and dropped, when the run was walked.</summary>
    public ArchivePlan? Plan { get; init; }

    /// <summary>True when the destination already held an identical copy (an earlier archive that was interrupted).</summary>
    public bool ReusedIdenticalCopy { get; init; }

    /// <summary>Things worth knowing that did not stop the archive (e.g. a delete that did not finish).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether the archive happened, or would (dry run).</summary>
    public bool Succeeded => Outcome is ArchiveOutcome.Archived or ArchiveOutcome.DryRun;

    internal static ArchiveResult Refuse(string runDirectory, string error, ArchivePlan? plan = null, string? destination = null) =>
        new() { Outcome = ArchiveOutcome.Refused, RunDirectory = runDirectory, Error = error, Plan = plan, Destination = destination };

    internal static ArchiveResult Fail(string runDirectory, string error, ArchivePlan plan, string destination) =>
        new() { Outcome = ArchiveOutcome.Failed, RunDirectory = runDirectory, Error = error, Plan = plan, Destination = destination };
}
