using System.Text;
using static Expt.Design.MarkdownText;
using static Expt.Design.SummaryFormat;

namespace Expt.Design;

/// <summary>The summary's compute estimates: per stage, the study's totals, and every job's figures with their basis and n.</summary>
internal static class SummaryEstimates
{
    public static void Write(StringBuilder sb, SummaryFacts facts)
    {
        var design = facts.Design;
        var totals = design.Totals;
        sb.Append("## Compute estimates\n\n");
        sb.Append(design.HistoryJobs == 0
            ? "No history: no earlier succeeded job of this experiment, so no figure can be estimated. Run a few jobs first (e.g. `--filter`) to estimate the rest.\n\n"
            : $"From {Plural(design.HistoryJobs, "succeeded job")} of {Plural(design.HistoryRuns, "earlier run")} of this experiment. Each figure is the median of earlier jobs with the same params, else a fit over the numeric params that vary (\"extrapolated\" outside the range seen), else the stage's median.\n\n");
        var table = new SummaryTable("Stage", "Jobs", "Without history", "Wall (sum)", "CPU-hours", "GPU-hours", "Peak memory (max)", "Output", "Bases");
        foreach (var (stage, jobs) in facts.Stages)
        {
            double cpu = 0, gpu = 0;
            double? rss = null;
            long output = 0;
            var without = 0;
            var bases = new Dictionary<EstimateBasis, (int Jobs, int MinN, int MaxN)>();
            foreach (var i in jobs)
            {
                var e = facts.Estimate(i);
                if (e.Basis == EstimateBasis.NoHistory) without++;
                cpu += e.CpuSeconds ?? 0;
                gpu += e.GpuSeconds ?? 0;
                if (e.PeakRssMb is { } m) rss = Math.Max(rss ?? 0, m);
                output += e.OutputBytes ?? 0;
                var b = bases.GetValueOrDefault(e.Basis, (Jobs: 0, MinN: int.MaxValue, MaxN: 0));
                bases[e.Basis] = (b.Jobs + 1, Math.Min(b.MinN, e.N), Math.Max(b.MaxN, e.N));
            }
            var allWithout = without == jobs.Count;
            table.Add(Code(stage.Name), Count(jobs.Count), Count(without), SummaryVariants.WallSum(facts, jobs),
                allWithout ? None : Hours(cpu / 3600), allWithout ? None : Hours(gpu / 3600), Megabytes(rss), allWithout ? None : Bytes(output), Bases(bases));
        }
        table.WriteTo(sb, "stages");
        sb.Append("**Totals**\n\n");
        sb.Append("- **Wall time of the study:** ").Append(totals.WallSeconds is { } w ? Duration(w) : "no estimate")
            .Append(" (a simulated schedule: up to ").Append(Plural(design.Settings.Parallel, "job")).Append(" at once, ")
            .Append(Plural(design.Settings.GpuSlots, "GPU slot")).Append(", stages after the stages they need)\n");
        sb.Append("- **CPU-hours:** ").Append(Hours(totals.CpuHours)).Append('\n');
        sb.Append("- **GPU-hours:** ").Append(Hours(totals.GpuHours)).Append('\n');
        sb.Append("- **Disk:** ").Append(Bytes(totals.OutputBytes)).Append(" of output, ").Append(Bytes(totals.DiskBytes)).Append(" with the 20% margin; free ")
            .Append(design.FreeDiskBytes is { } free ? Bytes(free) + (free >= totals.DiskBytes ? " ✓" : " ⚠ short") : "unknown").Append('\n');
        sb.Append("- **Jobs without history:** ").Append(Count(totals.JobsWithoutHistory)).Append(" of ").Append(Count(totals.Jobs))
            .Append(totals.JobsWithoutHistory > 0 ? " (their cost is left out of every total above)" : "").Append("\n\n");
        WriteJobs(sb, facts);
    }

    private static void WriteJobs(StringBuilder sb, SummaryFacts facts)
    {
        sb.Append("### Per job\n\n");
        var jobs = facts.Design.Plan.Jobs;
        var table = new SummaryTable("Job", "Wall", "CPU", "GPU", "Peak memory", "Output", "Basis");
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!table.HasRoom)
            {
                table.Skip(jobs.Count - i);
                break;
            }
            var e = facts.Estimate(i);
            table.Add(Code(jobs[i].Id), Duration(e.WallSeconds), Duration(e.CpuSeconds), Duration(e.GpuSeconds), Megabytes(e.PeakRssMb), Bytes(e.OutputBytes), Text(Basis(e)));
        }
        table.WriteTo(sb, "jobs", "the per-stage figures above count them all");
    }

    private static string Bases(Dictionary<EstimateBasis, (int Jobs, int MinN, int MaxN)> bases) =>
        string.Join(", ", bases.OrderBy(b => b.Key).Select(b => b.Key == EstimateBasis.NoHistory
            ? $"no history ×{Count(b.Value.Jobs)}"
            : $"{BasisName(b.Key)} ×{Count(b.Value.Jobs)} (n={(b.Value.MinN == b.Value.MaxN ? Count(b.Value.MinN) : $"{Count(b.Value.MinN)}–{Count(b.Value.MaxN)}")})"));
}
