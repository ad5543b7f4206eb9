using Expt.Execution;
using Expt.Internal;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>The end-of-run summary: state counts, durations, and each failure with the last lines of its stderr.</summary>
internal static class SummaryRenderer
{
    public const int TailLines = 5;

    public static void Write(TextWriter output, RunOutcome outcome, string cwd)
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
        var shown = 0;
        foreach (var s in problems.Where(p => p.State != JobState.Blocked))
        {
            if (shown++ == 20)
            {
                output.WriteLine($"… and {problems.Count(p => p.State != JobState.Blocked) - 20} more; see expt show");
                break;
            }
            output.WriteLine();
            // The id, the reason and above all the job's stderr are the job's text: escaped, never sent to the terminal raw.
            output.WriteLine($"{s.State.Name().ToUpperInvariant()} {VisibleText.Escape(s.Id)}: {VisibleText.Escape(s.Reason ?? "-")}");
            if (outcome.RunDirectory is null) continue;
            var stderr = Path.Combine(outcome.RunDirectory, s.Id, s.Attempts.LastOrDefault()?.Stderr ?? "stderr.log");
            foreach (var line in Tail(stderr, TailLines)) output.WriteLine($"  | {VisibleText.Escape(line)}");
            output.WriteLine($"  log: {VisibleText.Escape(Display(cwd, stderr))}");
        }
        var blocked = problems.Where(p => p.State == JobState.Blocked).ToList();
        if (blocked.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"BLOCKED {blocked.Count} job(s) whose upstream did not succeed: {VisibleText.Escape(string.Join(", ", blocked.Take(8).Select(b => b.Id)))}{(blocked.Count > 8 ? ", …" : "")}");
        }
        if (outcome.RunDirectory is not null)
        {
            output.WriteLine();
            output.WriteLine($"Results: {VisibleText.Escape(Display(cwd, outcome.RunDirectory))}");
            if (outcome.ExitCode != 0 || outcome.Interrupted)
            {
                output.WriteLine($"Resume:  expt run SPEC --resume {VisibleText.Escape(Display(cwd, outcome.RunDirectory))}");
            }
        }
    }

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
