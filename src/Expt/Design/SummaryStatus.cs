using System.Text;
using Expt.Internal;
using Expt.Recording;
using static Expt.Design.MarkdownText;
using static Expt.Design.SummaryFormat;

namespace Expt.Design;

/// <summary>The summary's naming, its status tables (estimate next to actual, per job and per stage) and the next steps.</summary>
internal static class SummaryStatus
{
    public static void WriteNaming(StringBuilder sb, SummaryFacts facts)
    {
        var design = facts.Design;
        var d = design.Plan.Definition;
        sb.Append("## Naming\n\n");
        sb.Append("- **Experiment:** ").Append(Code(d.Name, inTable: false)).Append('\n');
        sb.Append("- **Variants:** ").Append(d.NameTemplate is { } t ? "the template " + Code(t, inTable: false) : "made from the values that vary (the matrix levels, the seed)");
        if (design.Plan.Variants.Count > 0) sb.Append(", e.g. ").Append(Code(design.Plan.Variants[0].Name, inTable: false));
        sb.Append('\n');
        var root = design.ResultsRoot.TrimEnd('/');
        sb.Append("- **Run directory:** ").Append(Code($"{root}/{d.Name}/{{YYYYMMDD_HHMMSS}}_{{git7}}/", inTable: false)).Append(" (or `--run-id ID`)\n");
        sb.Append("- **Job directories** (below the run directory):\n");
        foreach (var (stage, jobs) in facts.Stages)
        {
            var example = design.Plan.Jobs[jobs[0]].RelativeDirectory;
            sb.Append("  - ").Append(Code(stage.Name, inTable: false)).Append(": ").Append(Code(example + "/", inTable: false)).Append(jobs.Count > 1 ? $" (1 of {Count(jobs.Count)})" : "").Append('\n');
        }
        sb.Append('\n');
    }

    public static void Write(StringBuilder sb, SummaryFacts facts, IReadOnlyDictionary<string, JobStatus> statuses)
    {
        var jobs = facts.Design.Plan.Jobs;
        sb.Append("## Status\n\n");
        var last = statuses.Values.Select(s => s.EndedAt ?? s.StartedAt).Where(t => t is not null).DefaultIfEmpty(null).Max();
        sb.Append(statuses.Count == 0 ? "Nothing has run yet: every job is pending." : $"Last change: {Time(last)} UTC.")
            .Append(" Durations are wall time over all attempts; a succeeded job's is compared with its estimate above.\n\n");
        var totals = new SummaryTable("Stage", "Jobs", "States", "Estimated (sum)", "Succeeded", "Actual (succeeded)", "Estimated (succeeded)", "Difference");
        foreach (var (stage, indices) in facts.Stages)
        {
            var states = new Dictionary<JobState, int>();
            double actual = 0, estimatedDone = 0;
            var finished = 0;
            var finishedWithout = 0;
            foreach (var i in indices)
            {
                var status = statuses.GetValueOrDefault(jobs[i].Id);
                var state = status?.State ?? JobState.Pending;
                states[state] = states.GetValueOrDefault(state) + 1;
                // Estimates rest on succeeded jobs: a failure's time says nothing about them.
                if (status is null || state != JobState.Succeeded || Wall(status) is not { } wall) continue;
                finished++;
                actual += wall;
                if (facts.Estimate(i).WallSeconds is { } e) estimatedDone += e;
                else finishedWithout++;
            }
            var words = string.Join(", ", JobStates.All.Where(states.ContainsKey).Select(s => $"{Count(states[s])} {s.Name()}"));
            var comparable = finished > 0 && finishedWithout == 0;
            totals.Add(Code(stage.Name), Count(indices.Count), words, SummaryVariants.WallSum(facts, indices), Count(finished),
                finished == 0 ? None : Duration(actual), finished == 0 || finishedWithout == finished ? None : Duration(estimatedDone) + (finishedWithout > 0 ? $" ({Count(finishedWithout)} without history)" : ""),
                comparable ? Deviation(actual, estimatedDone) : None);
        }
        totals.WriteTo(sb, "stages");
        foreach (var (stage, indices) in facts.Stages)
        {
            sb.Append("### ").Append(Text(stage.Name)).Append("\n\n");
            var table = new SummaryTable("Job", "State", "Started", "Duration", "Estimate", "vs estimate");
            var listed = indices.Count <= SummaryTable.MaxRows ? indices : Priority(indices, jobs, statuses);
            foreach (var i in listed)
            {
                var status = statuses.GetValueOrDefault(jobs[i].Id);
                var state = status?.State ?? JobState.Pending;
                var wall = status is null || !state.IsFinished() ? null : Wall(status);
                var estimate = facts.Estimate(i).WallSeconds;
                var reason = state is JobState.Succeeded or JobState.Pending or JobState.Running || string.IsNullOrEmpty(status?.Reason) ? "" : ": " + Text(status.Reason);
                table.Add(Code(jobs[i].Id), state.Name() + reason, Time(status?.StartedAt), Duration(wall), Duration(estimate), wall is { } w && state == JobState.Succeeded ? Deviation(w, estimate) : None);
            }
            table.Skip(indices.Count - listed.Count);
            table.WriteTo(sb, "jobs", "running, queued and failed jobs are listed first; the counts above cover them all");
        }
    }

    public static void WriteNextSteps(StringBuilder sb, ExperimentDesign design)
    {
        sb.Append("## Next steps\n\n");
        sb.Append(design.Problems.Count > 0 ? "1. Fix the problems listed above, then design again.\n" : "1. Review this plan.\n");
        sb.Append("2. Run it:\n\n").Append(Indent(CommandBlock(string.Join(' ', new[] { "expt", "run", Shell.Quote(design.SpecPath) }.Concat(design.Settings.RunArguments.Select(Shell.Quote))))));
        sb.Append("\n3. Follow it (the run directory keeps its own copy of this file, its status tables kept current):\n\n").Append(Indent(CommandBlock("expt status")));
        sb.Append("\n4. Report on it once it ended:\n\n").Append(Indent(CommandBlock("expt report")));
    }

    /// <summary>Wall seconds of a finished job over all its attempts.</summary>
    private static double? Wall(JobStatus status) => status.Accounting?.WallSeconds ?? status.DurationSeconds;

    /// <summary>At most <see cref="SummaryTable.MaxRows"/> of a large stage's jobs, those that need a look first, in plan order.</summary>
    private static List<int> Priority(IReadOnlyList<int> indices, IReadOnlyList<Planning.PlannedJob> jobs, IReadOnlyDictionary<string, JobStatus> statuses) =>
        indices.Select(i => (Index: i, Rank: Rank(statuses.GetValueOrDefault(jobs[i].Id)?.State ?? JobState.Pending)))
            .OrderBy(x => x.Rank).ThenBy(x => x.Index).Take(SummaryTable.MaxRows).Select(x => x.Index).Order().ToList();

    private static int Rank(JobState state) => state switch
    {
        JobState.Running => 0,
        JobState.Queued => 1,
        JobState.Failed or JobState.TimedOut or JobState.Lost => 2,
        JobState.Cancelled or JobState.Blocked => 3,
        JobState.Succeeded => 4,
        _ => 5,
    };

    private static string Indent(string block) => string.Concat(block.Split('\n').Select(l => l.Length == 0 ? "\n" : "   " + l + "\n")).TrimEnd('\n') + "\n";
}
