namespace Expt.Metrics;

/// <summary>
/// A problem found while reading a job's metrics. Reading never throws for bad input; it reports
/// these instead, so one broken job cannot stop a reindex of thousands.
/// </summary>
/// <param name="File">The path of the file concerned; a full path when found by <see cref="MetricsReader"/>.</param>
/// <param name="Line">The 1-based line number, when the problem is on a known line.</param>
/// <param name="Message">What was wrong, in words.</param>
public sealed record MetricsWarning(string File, int? Line, string Message)
{
    /// <summary>
    /// Whether the file was left unread as a whole (not a regular file, over its size limit, unreadable, a corrupt
    /// Inspect log): the job's metrics from it are simply missing, so this is worth telling the user, where a bad
    /// line of a file that was read is not.
    /// </summary>
    public bool NotRead { get; init; }

    /// <summary>The warning as <c>file:line: message</c> (or <c>file: message</c>).</summary>
    /// <returns>The formatted warning.</returns>
    public override string ToString() =>
        Line is { } line ? $"{File}:{line}: {Message}" : $"{File}: {Message}";
}
