namespace Expt.Specs;

/// <summary>What a run command's text says it starts: its program, or the script its interpreter is given.</summary>
internal enum CommandTargetKind
{
    /// <summary>The program (the command's first word), or the whole command when it cannot be read.</summary>
    Program,

    /// <summary>The script an interpreter is given.</summary>
    Script,
}

/// <summary>
/// One thing a run command starts, as <see cref="ProgramCheck"/> found it from the job's working directory.
/// </summary>
/// <param name="Kind">Program or script.</param>
/// <param name="Written">The word as the command wrote it (the whole command when it cannot be read).</param>
/// <param name="Resolved">The absolute path it names (for a program on PATH: where it was found), or null.</param>
/// <param name="Exists">Whether it exists (false when not checked).</param>
/// <param name="IsDirectory">Whether it is a directory.</param>
/// <param name="Executable">For a program: whether it is an executable file; null when not found or not a program.</param>
/// <param name="Problem">Why the job would certainly fail on it, or null.</param>
/// <param name="NotChecked">Why the text does not tell it for certain (a pipeline, a placeholder, a builtin), or null when it was checked.</param>
internal sealed record CommandTarget(
    CommandTargetKind Kind,
    string Written,
    string? Resolved,
    bool Exists,
    bool IsDirectory,
    bool? Executable,
    string? Problem,
    string? NotChecked)
{
    /// <summary>A target the command's text does not tell for certain.</summary>
    public static CommandTarget Unread(CommandTargetKind kind, string written, string why) => new(kind, written, null, false, false, null, null, why);
}
