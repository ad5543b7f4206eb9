namespace Expt.Design;

/// <summary>
/// One entry of <c>design.log</c>: <c>[YYYY-MM-DD HH:MM:SS] ACTION: description</c> followed by its
/// <c>Command:</c>, <c>Result:</c> and <c>Explanation:</c> lines.
/// </summary>
/// <param name="At">When it was done.</param>
/// <param name="Action">VERIFY_PATH, VERIFY_SCRIPT, SEARCH_PRIOR_RUNS, CALCULATE_TIME, CALCULATE_DISK, CHECK_DISK, CREATE_SUMMARY or COMPLETE.</param>
/// <param name="Description">What was checked or calculated.</param>
/// <param name="Command">What was run or read (an equivalent shell command or the source read).</param>
/// <param name="Result">What came out.</param>
/// <param name="Explanation">Why it was done.</param>
public sealed record DesignLogEntry(DateTimeOffset At, string Action, string Description, string Command, string Result, string Explanation);
