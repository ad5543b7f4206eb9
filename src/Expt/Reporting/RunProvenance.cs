using Expt.Recording;

namespace Expt.Reporting;

/// <summary>Where an archived run is.</summary>
/// <param name="ArchivedTo">The archived copy of the run directory.</param>
/// <param name="ArchivedAt">When it was archived.</param>
/// <param name="Dropped">The globs whose files were not kept.</param>
public sealed record ArchiveReport(string ArchivedTo, DateTimeOffset ArchivedAt, IReadOnlyList<string> Dropped);

/// <summary>Git provenance of a run.</summary>
/// <param name="Commit">Full commit hash, or <c>nogit</c>.</param>
/// <param name="Branch">The branch, when known.</param>
/// <param name="Dirty">Whether the working tree had changes.</param>
/// <param name="Diff">The saved <c>git.diff</c>, when present.</param>
/// <param name="ResumedWith">Commits of resumes whose code differed from the run's.</param>
public sealed record GitReport(string Commit, string? Branch, bool Dirty, string? Diff, IReadOnlyList<GitInfo> ResumedWith);
