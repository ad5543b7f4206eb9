using System.Globalization;
using System.Text;
using Expt.Planning;
using Expt.Specs;
using static Expt.Design.MarkdownText;
using static Expt.Design.SummaryFormat;

namespace Expt.Design;

/// <summary>The summary's list of variants and its evaluation matrix (which variant runs which stage and cells).</summary>
internal static class SummaryVariants
{
    public static void Write(StringBuilder sb, SummaryFacts facts)
    {
        var plan = facts.Design.Plan;
        sb.Append("## All variants\n\n");
        var table = new SummaryTable("Variant", "Kind", "Differs from the defaults", "Jobs", "Est. wall (sum)");
        foreach (var v in plan.Variants)
        {
            if (!table.HasRoom)
            {
                table.Skip(1);
                continue;
            }
            var jobs = facts.JobsOfVariant.GetValueOrDefault(v.Name) ?? [];
            var changed = v.Changed.Count == 0 ? "(the defaults)" : OverviewAssignments(v);
            table.Add(Code(v.Name), Text(v.Kind), changed, Count(jobs.Count), WallSum(facts, jobs));
        }
        table.WriteTo(sb, "variants", "`expt plan` lists them all");
    }

    /// <summary>One variant's (or stage's) summed wall estimate, saying how many of its jobs have no figure.</summary>
    public static string WallSum(SummaryFacts facts, IReadOnlyList<int> jobs)
    {
        double sum = 0;
        var without = 0;
        foreach (var i in jobs)
        {
            if (facts.Estimate(i).WallSeconds is { } w) sum += w;
            else without++;
        }
        if (without == jobs.Count) return jobs.Count == 0 ? None : "no history";
        return without == 0 ? Duration(sum) : $"{Duration(sum)} + {Count(without)} without history";
    }

    public static void WriteMatrix(StringBuilder sb, SummaryFacts facts)
    {
        var plan = facts.Design.Plan;
        sb.Append("## Evaluation matrix\n\n");
        // The cells a stage runs depend on the variant's kind only: described once per stage and kind.
        foreach (var (stage, _) in facts.Stages)
        {
            sb.Append("- ").Append(Code(stage.Name, inTable: false)).Append(": ").Append(StageWords(stage)).Append('\n');
        }
        sb.Append('\n');
        var stages = facts.Stages;
        var table = new SummaryTable([.. new[] { "Variant", "Kind" }.Concat(stages.Select(s => Code(s.Stage.Name)))]);
        foreach (var v in plan.Variants)
        {
            if (!table.HasRoom)
            {
                table.Skip(1);
                continue;
            }
            var jobs = facts.JobsOfVariant.GetValueOrDefault(v.Name) ?? [];
            var cells = stages.Select(s => Runs(jobs.Select(i => plan.Jobs[i]).Where(j => j.Stage.Name == s.Stage.Name).ToList()));
            table.Add([Code(v.Name), Text(v.Kind), .. cells]);
        }
        table.WriteTo(sb, "variants");
    }

    /// <summary>What one variant runs of one stage: <c>✓</c>, <c>✓ 6 cells</c>, <c>✓ 4 shards + merge</c>, or <c>—</c>.</summary>
    private static string Runs(IReadOnlyList<PlannedJob> jobs)
    {
        if (jobs.Count == 0) return None;
        if (jobs.Count == 1) return "✓";
        var cells = jobs.Select(CellKey).Distinct(StringComparer.Ordinal).Count();
        var shards = jobs[0].ShardCount;
        var merges = jobs.Count(j => j.IsMerge);
        var parts = new List<string>();
        if (cells > 1) parts.Add(Plural(cells, "cell"));
        if (shards > 1) parts.Add($"{Plural(shards, "shard")}{(merges > 0 ? " + merge" : "")}{(cells > 1 ? " each" : "")}");
        return "✓ " + string.Join(", ", parts);
    }

    private static string CellKey(PlannedJob job) => string.Join('\u001f', job.Cell.Select(kv => kv.Key + "=" + ParamValues.ToCompactJson(kv.Value)));

    /// <summary>A stage in words: what it needs, which kinds run it, its cells per kind, shards.</summary>
    private static string StageWords(StageDefinition stage)
    {
        var parts = new List<string>();
        parts.Add(stage.Needs.Count == 0 ? "needs nothing" : "after " + string.Join(", ", stage.Needs.Select(n => Code(n, inTable: false))));
        parts.Add(stage.Kinds.Count == 0 ? "every kind" : "kinds " + string.Join(", ", stage.Kinds.Select(Text)));
        parts.Add(stage.Foreach.Count == 0 ? "one cell" : "cells " + Axes(stage.Foreach));
        foreach (var (kind, axes) in stage.ForeachByKind.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            parts.Add($"{Text(kind)}: {(axes.Count == 0 ? "one cell" : "cells " + Axes(axes))}");
        }
        if (stage.Shards > 1) parts.Add($"{Plural(stage.Shards, "shard")} per cell{(stage.Merge is null ? "" : " then a merge")}");
        return string.Join("; ", parts);
    }

    private static string Axes(IReadOnlyList<CellAxis> axes) => string.Join(" × ", axes.Select(a =>
        $"{Code(a.Name, inTable: false)} ({string.Join(", ", a.Values.Take(20).Select(v => Code(ParamValues.ToDisplay(v), inTable: false)))}{(a.Values.Count > 20 ? $", … {Count(a.Values.Count - 20)} more" : "")})"));

    private static string OverviewAssignments(Variant v) =>
        SummaryOverview.Assignments(v.Changed.Where(v.Has).Select(name => new KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>(name, v.Get(name))));
}
