using System.Globalization;
using Expt.Archiving;
using Expt.Internal;
using Expt.Specs;

namespace Expt.Design;

/// <summary>
/// The words of each <c>design.log</c> entry, in the tone of a researcher's own log: the command that would show the
/// same (or what was read or computed), the numbers found, and why it was done.
/// </summary>
internal sealed class DesignEntries(DesignInputs inputs, Func<DateTimeOffset> now)
{
    /// <summary>Jobs listed one by one in a stage's CALCULATE_TIME entry; the rest are counted.</summary>
    private const int ListedJobs = 50;

    private const string NotCheckedPrefix = "not checked: ";

    private string Experiment => inputs.Plan.Definition.Name;

    private DesignLogEntry Entry(string action, string description, string command, string result, string explanation) =>
        new(now(), action, description, command, result, explanation);

    public DesignLogEntry Verify(ResourceCheck r)
    {
        var p = Shell.Quote(r.ResolvedPath ?? r.Path);
        if (!r.Checked)
        {
            return Entry(r.Kind is ResourceKind.Script or ResourceKind.Program ? "VERIFY_SCRIPT" : "VERIFY_PATH",
                $"Reading what {r.UsedBy} starts or names: {r.Path}", "(none: read from the spec's text)",
                "NOT CHECKED: " + (r.Note is { } note && note.StartsWith(NotCheckedPrefix, StringComparison.Ordinal) ? note[NotCheckedPrefix.Length..] : r.Note ?? "its text does not tell"),
                "Only what the text of the spec decides for certain is checked; the job itself finds out the rest when it runs");
        }
        if (r.Kind is ResourceKind.Script or ResourceKind.Program)
        {
            var onPath = r.Kind == ResourceKind.Program && !r.Path.Contains('/', StringComparison.Ordinal);
            var found = !r.Exists ? $"MISSING: {r.Problem ?? "not found"}"
                : $"{(onPath ? $"Found at {r.ResolvedPath}" : $"File exists, {Size(r.Bytes)}")}, {(r.Executable == false ? "not executable" : "executable")}"
                  + (r.Problem is { } why ? $"; PROBLEM: {why}" : "");
            return Entry("VERIFY_SCRIPT", $"Checking {(r.Kind == ResourceKind.Script ? "script" : "program")} {r.Path} ({r.UsedBy})",
                onPath ? $"command -v {Shell.Quote(r.Path)}" : $"ls -l {p}", found,
                r.Kind == ResourceKind.Script
                    ? "A stage's run hands this script to an interpreter: it must exist before anything runs"
                    : "A stage's run starts this program: it must exist and be executable before anything runs");
        }
        var result = !r.Exists ? $"MISSING: {r.Problem ?? "no such file or folder"}"
            : (r.IsDirectory ? $"Folder exists with {r.Files ?? 0} file(s), {Size(r.Bytes)}" : $"File exists, {Size(r.Bytes)}")
              + (r.Problem is { } problem ? $"; PROBLEM: {problem}" : "");
        return Entry("VERIFY_PATH", $"Checking {r.Path} ({r.UsedBy})",
            !r.Exists ? $"ls -ld {p}" : r.IsDirectory ? $"ls -A {p} | wc -l; du -sh {p}" : $"ls -lh {p}", result,
            "Verifying that a path the variants name exists before creating the experiment plan");
    }

    public DesignLogEntry SearchPriorRuns()
    {
        var history = inputs.History;
        var byStage = history.Jobs.GroupBy(j => j.Stage, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}");
        var result = history.Jobs.Count == 0
            ? $"No succeeded job of {Experiment} found ({history.Runs} earlier run(s)): every estimate is \"no history\""
            : $"Found {history.Jobs.Count} succeeded job(s) in {history.Runs} earlier run(s) ({string.Join(", ", byStage)})";
        if (history.Warnings.Count > 0) result += "\n" + string.Join("\n", history.Warnings.Select(w => "warning: " + w));
        return Entry("SEARCH_PRIOR_RUNS", $"Looking for earlier runs of {Experiment}",
            $"expt ls {Shell.Quote(Experiment)} --jobs --where \"state = succeeded\" --results {Shell.Quote(inputs.ResultsRoot)}", result,
            "Earlier jobs of the same experiment and stage give each planned job's wall time, CPU, GPU, memory and output");
    }

    public DesignLogEntry StageTimes(string stage)
    {
        var jobs = inputs.Plan.Jobs.Select((j, i) => (Job: j, Estimate: inputs.Estimates[i])).Where(x => x.Job.Stage.Name == stage).ToList();
        var seen = inputs.History.Jobs.Count(j => j.Stage == stage);
        var lines = jobs.Take(ListedJobs).Select(x => $"{x.Job.Id}: {Figures(x.Estimate)}").ToList();
        if (jobs.Count > ListedJobs) lines.Add($"… and {jobs.Count - ListedJobs} more job(s) (see experiment_summary.md)");
        var without = jobs.Count(x => x.Estimate.WallSeconds is null);
        if (without > 0) lines.Add($"{without} of {jobs.Count} job(s) without history: no figure, left out of the totals");
        return Entry("CALCULATE_TIME", $"Estimating the {jobs.Count} job(s) of stage {stage}",
            $"per job, from {seen} earlier {stage} job(s): the median of jobs with identical params (seed ignored), else a fit over the numeric params that vary, else the stage median",
            string.Join("\n", lines),
            "Each figure states its basis and the number of earlier jobs it rests on");
    }

    public DesignLogEntry StudyTime()
    {
        var (t, s) = (inputs.Totals, inputs.Settings);
        var result = t.WallSeconds is { } wall
            ? $"Estimated {Duration(wall)} wall for the whole study; {Hours(t.CpuHours)} CPU-hours; {Hours(t.GpuHours)} GPU-hours; {t.JobsWithoutHistory} of {t.Jobs} job(s) without history (left out)"
            : $"No estimate: none of the {t.Jobs} job(s) has history";
        return Entry("CALCULATE_TIME", $"Study wall time under -p {s.Parallel} with {s.GpuSlots} GPU slot(s) ({s.Executor})",
            $"simulate the schedule of {t.Jobs} job(s) with their estimated wall times: at most {s.Parallel} at once, {s.GpuSlots} GPU slot(s), each job after the jobs it needs",
            result, "Wall time of the whole study as the run would schedule it, from the job estimates above");
    }

    public DesignLogEntry Disk()
    {
        var t = inputs.Totals;
        var counted = t.Jobs - t.JobsWithoutHistory;
        var result = $"{Size(t.OutputBytes)} of output; {Size(t.DiskBytes)} to have free with the margin"
            + (t.JobsWithoutHistory > 0 ? $"; {t.JobsWithoutHistory} job(s) without history not counted" : "");
        return Entry("CALCULATE_DISK", "Disk the jobs will write",
            $"sum of the estimated output of {counted} job(s) + {(DesignTotals.DiskMargin * 100).ToString("0", CultureInfo.InvariantCulture)}% margin", result,
            "A job's output is the bytes under its directory when it ended, as history recorded it");
    }

    public DesignLogEntry CheckDisk(bool isShort)
    {
        var (free, need) = (inputs.FreeDiskBytes, inputs.Totals.DiskBytes);
        var result = free is not { } f ? "Unknown: the free space could not be read"
            : isShort ? $"WARNING: {Size(f)} available, short of the {Size(need)} needed"
            : $"{Size(f)} available; enough for {Size(need)}";
        return Entry("CHECK_DISK", "Verifying available disk space at the results root", $"df -h {Shell.Quote(inputs.ResultsRoot)}", result,
            $"Ensuring there is room for ~{Size(need)} of output");
    }

    public DesignLogEntry CreateSummary(string path)
    {
        var plan = inputs.Plan;
        var kinds = plan.Variants.GroupBy(v => v.Kind, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        var stages = plan.Jobs.Select(j => j.Stage.Name).Distinct(StringComparer.Ordinal).Count();
        return Entry("CREATE_SUMMARY", "Writing experiment plan", $"Created {path}",
            $"File written with {plan.Variants.Count} variant(s) ({string.Join(", ", kinds)}), {plan.Jobs.Count} job(s) in {stages} stage(s); status tables all pending",
            "The plan to review before running; a run keeps its own copy whose status tables stay current");
    }

    public DesignLogEntry Complete(int problems, int warnings)
    {
        var spec = Shell.Quote(inputs.SpecAsGiven);
        var args = string.Concat(inputs.Settings.RunArguments.Select(a => " " + Shell.Quote(a)));
        var result = problems == 0
            ? $"Ready for review: no problem, {warnings} warning(s)"
            : $"Not ready: {problems} problem(s) to fix before running, {warnings} warning(s)";
        return Entry("COMPLETE", "Experiment design finished", $"expt design {spec}{args} -o {Shell.Quote(inputs.OutputDirectory ?? ".")}", result,
            $"Next: review experiment_summary.md, then expt run {spec}{args}");
    }

    /// <summary>One job's figures: <c>1.2s wall, 0.9s CPU, 400.0 KiB output (power law in size, n=3)</c>.</summary>
    internal static string Figures(JobEstimate e)
    {
        if (e.WallSeconds is not { } wall) return "no history";
        var parts = new List<string> { $"{Duration(wall)} wall" };
        if (e.CpuSeconds is { } cpu) parts.Add($"{Duration(cpu)} CPU");
        if (e.GpuSeconds is { } gpu && gpu > 0) parts.Add($"{Duration(gpu)} GPU");
        if (e.PeakRssMb is { } rss) parts.Add($"{rss.ToString("0", CultureInfo.InvariantCulture)} MiB peak");
        if (e.OutputBytes is { } bytes) parts.Add($"{ByteSizes.Format(bytes)} output");
        return $"{string.Join(", ", parts)} ({e.Detail}, n={e.N})";
    }

    internal static string Duration(double seconds) => Durations.Format(TimeSpan.FromSeconds(Math.Max(0, seconds)));

    private static string Hours(double hours) => hours.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Size(long? bytes) => bytes is { } b ? ByteSizes.Format(b) : "size unknown";
}
