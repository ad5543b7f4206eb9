using Expt.Internal;
using System.Globalization;
using Expt.Reporting;

namespace Expt.Cli.Rendering;

/// <summary><c>expt show</c>'s text: provenance, the research question, the job table, then failures with their stderr tails.</summary>
internal static class RunReportRenderer
{
    /// <summary>Metric columns in the job table; the rest are in <c>--json</c> and <c>expt export</c>.</summary>
    public const int MetricColumns = 4;

    /// <summary>Failures printed in full; a sweep with hundreds of them would bury the rest (all are in <c>--json</c>).</summary>
    public const int MaxFailures = 20;

    public static void Write(TextWriter output, RunReport report, string cwd)
    {
        // Everything here comes from files a job or a user could have written: each value goes through the one escaper.
        output.WriteLine($"Run {VisibleText.Escape(report.Experiment)}/{VisibleText.Escape(report.RunId)}");
        Field(output, "directory", SummaryRenderer.Display(cwd, report.Directory));
        if (report.Archive is { } archive)
        {
            var dropped = archive.Dropped.Count > 0 ? $"; not kept: {string.Join(", ", archive.Dropped)}" : "";
            Field(output, "archived", $"{ReportFormat.Time(archive.ArchivedAt)} to {archive.ArchivedTo}{dropped}");
        }
        Field(output, "created", ReportFormat.Time(report.Created));
        Field(output, "ended", report.Ended is { } ended ? $"{ReportFormat.Time(ended)} ({ReportFormat.Seconds((ended - report.Created).TotalSeconds)} after creation)" : "not yet (a runner may still be working on it)");
        Field(output, "host", $"{report.Host ?? "?"}, user {report.User ?? "?"}, executor {report.Executor}");
        if (report.CommandLine is not null) Field(output, "command", report.CommandLine);
        Field(output, "expt", $"{report.ExptVersion ?? "?"}, resumed {report.Resumes.ToString(CultureInfo.InvariantCulture)} time(s)");
        Field(output, "git", Git(report.Git, cwd));
        foreach (var resumed in report.Git.ResumedWith)
        {
            var dirty = !resumed.Dirty ? "" : resumed.Diff is null ? ", dirty" : $", dirty (diff: {SummaryRenderer.Display(cwd, Path.Combine(report.Directory, resumed.Diff))})";
            Field(output, "resumed with", $"{resumed.Commit}{(resumed.Branch is null ? "" : $" ({resumed.Branch})")}{dirty}");
        }

        if (report.Question is not null || report.Hypothesis is not null || report.Notes is not null)
        {
            output.WriteLine();
            if (report.Question is not null) Field(output, "question", report.Question, "");
            if (report.Hypothesis is not null) Field(output, "hypothesis", report.Hypothesis, "");
            if (report.Notes is not null) Field(output, "notes", report.Notes, "");
        }

        output.WriteLine();
        output.WriteLine($"Jobs: {string.Join(", ", report.States.Select(s => $"{s.Value.ToString(CultureInfo.InvariantCulture)} {s.Key}"))}{NotSelected(report.NotSelected)}");
        var metrics = report.KeyMetrics(MetricColumns);
        var labels = new ColumnLabels(report.ParamNames, report.Jobs.SelectMany(j => j.Metrics.Keys));
        var table = new TextTable(["JOB", "KIND", "STAGE", "STATE", "ATTEMPTS", "TIME", .. metrics.Select(labels.Metric)]);
        var flagged = false;
        foreach (var job in report.Jobs)
        {
            table.Add([job.Id, job.Kind, job.Stage, job.State, job.Attempts.ToString(CultureInfo.InvariantCulture), ReportFormat.Seconds(job.WallSeconds),
                .. metrics.Select(m => job.Metrics.TryGetValue(m, out var v) ? ReportFormat.Metric(v) + Flag(job, m, ref flagged) : "")]);
        }
        output.Write(table.ToString());
        var more = report.Jobs.SelectMany(j => j.Metrics.Keys).Distinct(StringComparer.Ordinal).Count() - metrics.Count;
        if (more > 0) output.WriteLine($"({more.ToString(CultureInfo.InvariantCulture)} more metric(s): expt show --json, expt export)");
        if (flagged) output.WriteLine($"{PartialMark} from an Inspect log that did not succeed: partial results, left out of expt report");
        WriteInspectLogs(output, report.InspectLogs);

        var shown = report.Failures.Take(MaxFailures).ToList();
        foreach (var failure in shown.Where(f => f.State != "blocked"))
        {
            output.WriteLine();
            output.WriteLine($"{failure.State.ToUpperInvariant()} {VisibleText.Escape(failure.Id)}: {VisibleText.Escape(failure.Reason ?? "-")}");
            foreach (var line in failure.StderrTail) output.WriteLine($"  | {VisibleText.Escape(line)}");
            if (failure.Stderr is not null) output.WriteLine($"  log: {VisibleText.Escape(SummaryRenderer.Display(cwd, failure.Stderr))}");
        }
        // Blocked jobs never ran, so they have no log: one line each, together, after the jobs that blocked them.
        var blocked = shown.Where(f => f.State == "blocked").ToList();
        if (blocked.Count > 0) output.WriteLine();
        foreach (var failure in blocked) output.WriteLine($"BLOCKED {VisibleText.Escape(failure.Id)}: {VisibleText.Escape(failure.Reason ?? "-")}");
        if (report.Failures.Count > MaxFailures)
        {
            output.WriteLine();
            output.WriteLine($"… and {(report.Failures.Count - MaxFailures).ToString(CultureInfo.InvariantCulture)} more: {VisibleText.Escape(string.Join(", ", report.Failures.Skip(MaxFailures).Take(10).Select(f => $"{f.Id} ({f.State})")))}{(report.Failures.Count > MaxFailures + 10 ? ", …" : "")}; all in expt show --json");
        }
    }

    /// <summary>The jobs no runner selected, said once after the counts they are not part of.</summary>
    public static string NotSelected(int count) =>
        count == 0 ? "" : $" ({count.ToString(CultureInfo.InvariantCulture)} not selected, left out)";

    /// <summary>Marks a value taken from an Inspect log that errored, was cancelled or has not finished.</summary>
    public const string PartialMark = "!";

    private static string Flag(JobReport job, string metric, ref bool flagged)
    {
        if (job.FromUnsuccessfulLogs?.Contains(metric, StringComparer.Ordinal) != true) return "";
        flagged = true;
        return " " + PartialMark;
    }

    // Inspect's own record of each evaluation: which task and model, whether it finished, and where the log is.
    private static void WriteInspectLogs(TextWriter output, IReadOnlyList<InspectLogReport> logs)
    {
        if (logs.Count == 0) return;
        output.WriteLine();
        var unsuccessful = logs.Count(l => !l.Succeeded);
        output.WriteLine($"Inspect logs: {logs.Count.ToString(CultureInfo.InvariantCulture)}{(unsuccessful > 0 ? $", {unsuccessful.ToString(CultureInfo.InvariantCulture)} did not succeed" : "")}");
        var table = new TextTable("JOB", "TASK", "MODEL", "STATUS", "STARTED", "COMPLETED", "FILE");
        foreach (var log in logs)
        {
            // Anything but success is upper case, so an errored evaluation stands out in a column of "success".
            var status = log.Succeeded ? log.Status : log.Status.ToUpperInvariant();
            if (log.Status == "started" && log.CompletedSamples is { } done)
            {
                status += $" ({done.ToString(CultureInfo.InvariantCulture)}{(log.TotalSamples is { } total ? "/" + total.ToString(CultureInfo.InvariantCulture) : "")} samples)";
            }
            table.Add(log.Job, log.Task ?? "-", log.Model ?? "-", status, log.StartedAt is { } s ? ReportFormat.Time(s) : "-",
                log.CompletedAt is { } c ? ReportFormat.Time(c) : "-", log.Path);
        }
        output.Write(table.ToString());
        foreach (var log in logs.Where(l => l.Error is not null))
        {
            // One line each: an error message can hold a whole traceback (all of it is in --json).
            var message = VisibleText.Escape(log.Error!);
            output.WriteLine($"  {VisibleText.Escape(log.Job)} ({VisibleText.Escape(log.Path)}): {(message.Length > 200 ? message[..199] + "…" : message)}");
        }
    }

    private static string Git(GitReport git, string cwd)
    {
        if (git.Commit == "nogit") return "none (not in a git repository)";
        var branch = git.Branch is null ? "" : $" on {git.Branch}";
        var dirty = !git.Dirty ? ", clean" : git.Diff is not null ? $", dirty (diff: {SummaryRenderer.Display(cwd, git.Diff)})" : ", dirty (no git.diff kept)";
        return git.Commit + branch + dirty;
    }

    // Continuation lines of a multi-line text line up under its first line.
    private static void Field(TextWriter output, string name, string value, string indent = "  ")
    {
        var pad = indent + (name.Length < 12 ? name.PadRight(12) : name + " ");
        var lines = value.TrimEnd('\n').Split('\n').Select(VisibleText.Escape).ToArray();
        output.WriteLine((pad + lines[0]).TrimEnd());
        foreach (var line in lines.Skip(1)) output.WriteLine((new string(' ', pad.Length) + line).TrimEnd());
    }
}
