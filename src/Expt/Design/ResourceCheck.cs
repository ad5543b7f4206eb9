namespace Expt.Design;

/// <summary>What a verified resource is.</summary>
public enum ResourceKind
{
    /// <summary>The value of a <c>path</c> param.</summary>
    Path,

    /// <summary>A script a stage's <c>run</c> hands to an interpreter.</summary>
    Script,

    /// <summary>The program a stage's <c>run</c> starts.</summary>
    Program,

    /// <summary>Free disk at the results root.</summary>
    Disk,
}

/// <summary>One resource the plan needs, as found on disk before anything runs.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Path">The path as written (a program name for programs found on PATH).</param>
/// <param name="ResolvedPath">The absolute path it resolved to, when it did.</param>
/// <param name="Exists">Whether it exists.</param>
/// <param name="Bytes">Its size (a folder: the sum of its files), when it exists.</param>
/// <param name="Files">For a folder: its number of files.</param>
/// <param name="IsDirectory">Whether it is a folder.</param>
/// <param name="Executable">For programs and scripts: whether it can be executed.</param>
/// <param name="UsedBy">The param or stage that names it, and the variants (or a count of them).</param>
/// <param name="Problem">Why it cannot be used, or null when it can.</param>
public sealed record ResourceCheck(
    ResourceKind Kind,
    string Path,
    string? ResolvedPath,
    bool Exists,
    long? Bytes,
    int? Files,
    bool IsDirectory,
    bool? Executable,
    string UsedBy,
    string? Problem)
{
    /// <summary>
    /// False when it was not looked at: a command whose text does not tell what it starts (a pipeline, a placeholder, a
    /// builtin), or a path beyond the most checked; <see cref="Note"/> says why. <see cref="Exists"/> is then false
    /// and means nothing.
    /// </summary>
    public bool Checked { get; init; } = true;

    /// <summary>
    /// What deserves a look but is no problem: why it was not checked, that a missing script may be created by an
    /// earlier stage, that a folder's size is a lower bound; null when there is nothing to say.
    /// </summary>
    public string? Note { get; init; }

    /// <summary>True when <see cref="Bytes"/> and <see cref="Files"/> are at least these (the walk of a huge or partly unreadable folder stopped short).</summary>
    public bool SizeIsLowerBound { get; init; }
}
