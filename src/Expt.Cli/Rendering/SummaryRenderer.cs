using Expt.Execution;
using Expt.Internal;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>
/// The end-of-run summary: state counts, durations, and each failure with the last lines of its stderr. Jobs that ended
/// the same way (same state, reason and stderr tail) are one entry with their list, not one copy each.
/// </summary>
internal static class SummaryRenderer
{
    public const int TailLines = 5;

    private const int MaxGroups = 20;

    private const int MaxNames = 8;

    /// <summary>Writes the summary; <paramref name="spec"/> and <paramref name="results"/> (when not the default root) make the resume hint a command that works as printed.</summary>
    public static void Write(TextWriter output, RunOutcome outcome, string cwd, string? spec = null, string? results = null)
    {
        var statuses = outcome.Statuses.Values.ToList();
        var counts = JobStates.All.Select(s => (s, statuses.Count(x => x.State == s))).Where(x => x.Item2 > 0).Select(x => $"{x.Item2} {x.s.Name()}");
        output.WriteLine();
        output.WriteLine($"Summary: {string.Join(", ", counts)}{(outcome.Skipped.Count > 0 ? $" ({outcome.Skipped.Count} from earlier runners)" : "")}");
        var durations = statuses.Where(s => s.DurationSeconds is not null && !outcome.Skipped.Contains(s.Id)).Select(s => s.DurationSeconds!.Value).Order().ToList();
        var wall = outcome.Ended - outcome.Started;
        if (durations.Count > 0)
        {
            output.WriteLine($"Time: {Durations.Format(wall)} wall; per job min {Fmt(durations[0])}, median {Fmt(durations[durations.Count / 2])}, max {Fmt(durations[^1])}");
        }
        else
        {
            output.WriteLine($"Time: {Durations.Format(wall)} wall");
        }
        var problems = statuses.Where(s => s.State is JobState.Failed or JobState.TimedOut or JobState.Lost or JobState.Blocked or JobState.Cancelled).OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        var groups = FailureGroups(outcome.RunDirectory, problems.Where(p => p.State != JobState.Blocked));
        for (var i = 0; i < groups.Count; i++)
        {
            if (i == MaxGroups)
            {
                var rest = groups.Skip(MaxGroups).ToList();
                output.WriteLine($"… and {rest.Count} more ({rest.Sum(g => g.Jobs.Count)} job(s)); see expt show");
                break;
            }
            WriteGroup(output, groups[i], outcome.RunDirectory, cwd);
        }
        var blocked = problems.Where(p => p.State == JobState.Blocked).ToList();
        if (blocked.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"BLOCKED {blocked.Count} job(s) whose upstream did not succeed: {Names(blocked)}");
        }
        if (outcome.Fault is { } fault)
        {
            var unstarted = statuses.Count(s => s.State is JobState.Pending or JobState.Queued);
            output.WriteLine();
            output.WriteLine($"STOPPED {fault.Describe()}");
            output.WriteLine($"  No job was started after it; {unstarted} job(s) are left pending for a resume{(fault.DiskFull ? " once there is space" : "")}.");
            if (outcome.RecordsIncomplete) output.WriteLine("  Some of the run's records could not be written even at the end; the resume rebuilds them from the jobs' own files.");
        }
        if (outcome.RunDirectory is not null)
        {
            output.WriteLine();
            output.WriteLine($"Results: {VisibleText.Escape(Display(cwd, outcome.RunDirectory))}");
            if (outcome.ExitCode != 0 || outcome.Interrupted)
            {
                var specWord = spec is null ? "" : " " + Shell.Quote(Display(cwd, spec));
                var resultsWords = results is null ? "" : " --results " + Shell.Quote(Display(cwd, results));
                output.WriteLine(VisibleText.Escape($"Resume:  expt run{specWord} --resume {Shell.Quote(Display(cwd, outcome.RunDirectory))}{resultsWords}"));
            }
        }
    }

    private sealed record FailureGroup(JobStatus First, IReadOnlyList<string> Tail, List<JobStatus> Jobs);

    /// <summary>The failures grouped by how they ended, in the order of their first job.</summary>
    private static List<FailureGroup> FailureGroups(string? runDirectory, IEnumerable<JobStatus> problems)
    {
        var groups = new List<FailureGroup>();
        var byKey = new Dictionary<(JobState, string?, string), FailureGroup>();
        foreach (var s in problems)
        {
            var tail = runDirectory is null ? [] : Tail(StderrPath(runDirectory, s), TailLines);
            var key = (s.State, s.Reason, string.Join('\n', tail));
            if (!byKey.TryGetValue(key, out var group))
            {
                byKey[key] = group = new FailureGroup(s, tail, []);
                groups.Add(group);
            }
            group.Jobs.Add(s);
        }
        return groups;
    }

    private static void WriteGroup(TextWriter output, FailureGroup group, string? runDirectory, string cwd)
    {
        var s = group.First;
        output.WriteLine();
        output.WriteLine(group.Jobs.Count == 1
            ? $"{s.State.Name().ToUpperInvariant()} {VisibleText.Escape(s.Id)}: {VisibleText.Escape(s.Reason ?? "-")}"
            : $"{s.State.Name().ToUpperInvariant()} {group.Jobs.Count} jobs, the same way: {VisibleText.Escape(s.Reason ?? "-")}");
        // The job's stderr is the job's text: escaped, never sent to the terminal raw.
        foreach (var line in group.Tail) output.WriteLine($"  | {VisibleText.Escape(line)}");
        if (group.Jobs.Count > 1) output.WriteLine($"  jobs: {Names(group.Jobs)}");
        // A job that never started (cancelled while it waited) has no log to point at.
        if (runDirectory is null || s.Attempts.Count == 0 || !File.Exists(StderrPath(runDirectory, s))) return;
        output.WriteLine($"  log: {VisibleText.Escape(Display(cwd, StderrPath(runDirectory, s)))}{(group.Jobs.Count > 1 ? " (and each job's own)" : "")}");
    }

    private static string StderrPath(string runDirectory, JobStatus s) => Path.Combine(runDirectory, s.Id, s.Attempts.LastOrDefault()?.Stderr ?? "stderr.log");

    private static string Names(IReadOnlyList<JobStatus> jobs) =>
        VisibleText.Escape(string.Join(", ", jobs.Take(MaxNames).Select(j => j.Id))) + (jobs.Count > MaxNames ? $", … ({jobs.Count} in all)" : "");

    /// <summary>After <c>--detach</c> (or Ctrl-C while following a SLURM run): what was submitted and how to follow it.</summary>
    public static void WriteDetached(TextWriter output, RunOutcome outcome, string cwd)
    {
        var statuses = outcome.Statuses.Values.ToList();
        var counts = JobStates.All.Select(s => (s, statuses.Count(x => x.State == s))).Where(x => x.Item2 > 0).Select(x => $"{x.Item2} {x.s.Name()}");
        output.WriteLine();
        output.WriteLine(outcome.Interrupted
            ? $"Stopped following ({outcome.StopReason}); the jobs go on in SLURM: {string.Join(", ", counts)}"
            : $"Submitted to SLURM: {string.Join(", ", counts)}");
        foreach (var s in statuses.Where(s => s.State is JobState.Failed or JobState.Blocked).Take(10)) output.WriteLine($"{s.State.Name().ToUpperInvariant()} {VisibleText.Escape(s.Id)}: {VisibleText.Escape(s.Reason ?? "")}");
        if (outcome.RunDirectory is null) return;
        var run = VisibleText.Escape(Display(cwd, outcome.RunDirectory));
        output.WriteLine();
        output.WriteLine($"Results: {run}");
        output.WriteLine($"Follow:  expt watch {run}");
        output.WriteLine($"Status:  expt status {run}");
        output.WriteLine($"Cancel:  expt cancel {run}");
    }

    /// <summary>A path relative to the working directory when it lies below it, else absolute.</summary>
    public static string Display(string cwd, string path)
    {
        var relative = Path.GetRelativePath(cwd, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
    }

    private static string Fmt(double seconds) => Durations.Format(TimeSpan.FromSeconds(seconds));

    /// <summary>The last lines of a file, read from its end so a huge log costs nothing.</summary>
    public static IReadOnlyList<string> Tail(string path, int lines) => Expt.Reporting.LogTail.Read(path, lines);
}
