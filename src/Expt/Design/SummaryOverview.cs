using System.Text;
using Expt.Specs;
using static Expt.Design.MarkdownText;
using static Expt.Design.SummaryFormat;

namespace Expt.Design;

/// <summary>The summary's overview, its variables and its controls.</summary>
internal static class SummaryOverview
{
    private const int MaxLevels = 50;

    public static void Write(StringBuilder sb, SummaryFacts facts)
    {
        var design = facts.Design;
        var plan = design.Plan;
        var d = plan.Definition;
        sb.Append("# Experiment: ").Append(Text(d.Name)).Append("\n\n## Overview\n\n");
        sb.Append("- **Experiment:** ").Append(Code(d.Name, inTable: false)).Append('\n');
        sb.Append("- **Design:** ").Append(DesignWords(d)).Append('\n');
        if (!string.IsNullOrWhiteSpace(d.Question)) sb.Append("- **Question:** ").Append(Paragraph(d.Question)).Append('\n');
        if (!string.IsNullOrWhiteSpace(d.Hypothesis)) sb.Append("- **Hypothesis:** ").Append(Paragraph(d.Hypothesis)).Append('\n');
        var kinds = plan.Variants.GroupBy(v => v.Kind, StringComparer.Ordinal).Select(g => $"{Count(g.Count())} {Text(g.Key)}");
        sb.Append("- **Variants:** ").Append(Count(plan.Variants.Count)).Append(" (").Append(string.Join(", ", kinds)).Append(")\n");
        var stages = facts.Stages.Select(s => $"{Text(s.Stage.Name)} {Count(s.Jobs.Count)}");
        sb.Append("- **Jobs:** ").Append(Count(plan.Jobs.Count)).Append(plan.IsSingleStage ? "" : $" ({string.Join(", ", stages)})").Append('\n');
        var s = design.Settings;
        sb.Append("- **Runs on:** ").Append(Text(s.Executor)).Append(", up to ").Append(Plural(s.Parallel, "job")).Append(" at once, ")
            .Append(Plural(s.GpuSlots, "GPU slot")).Append('\n');
        sb.Append("- **Spec:** ").Append(Code(design.SpecPath, inTable: false)).Append('\n');
        sb.Append("- **Results root:** ").Append(Code(design.ResultsRoot, inTable: false)).Append('\n');
        sb.Append("- **Created:** ").Append(Time(design.CreatedAt)).Append(" UTC\n");
        if (!string.IsNullOrWhiteSpace(d.Notes)) sb.Append("\n**Notes:** ").Append(Paragraph(d.Notes)).Append('\n');
        sb.Append('\n');
        if (design.Problems.Count > 0)
        {
            sb.Append("### Problems\n\n");
            foreach (var p in design.Problems.Take(SummaryTable.MaxRows)) sb.Append("- ✗ ").Append(Text(p)).Append('\n');
            if (design.Problems.Count > SummaryTable.MaxRows) sb.Append("- … and ").Append(Count(design.Problems.Count - SummaryTable.MaxRows)).Append(" more\n");
            sb.Append('\n');
        }
        if (design.Warnings.Count > 0)
        {
            sb.Append("### Warnings\n\n");
            foreach (var w in design.Warnings.Take(SummaryTable.MaxRows)) sb.Append("- ⚠ ").Append(Text(w)).Append('\n');
            if (design.Warnings.Count > SummaryTable.MaxRows) sb.Append("- … and ").Append(Count(design.Warnings.Count - SummaryTable.MaxRows)).Append(" more\n");
            sb.Append('\n');
        }
    }

    /// <summary>The design in words: <c>5×2 factorial + 1 control, 2 seeds</c>.</summary>
    public static string DesignWords(ExperimentDefinition d)
    {
        var words = d.Matrix.Count switch
        {
            0 => d.Includes.Count == 0 ? "a single configuration" : "",
            1 => $"{Count(d.Matrix[0].Levels.Count)}-level sweep of {Code(d.Matrix[0].Param, inTable: false)}",
            _ => string.Join("×", d.Matrix.Select(f => Count(f.Levels.Count))) + " factorial",
        };
        if (d.Excludes.Count > 0) words += $" less {Plural(d.Excludes.Count, "exclude rule")}";
        var includes = d.Includes.GroupBy(i => i.Kind, StringComparer.Ordinal)
            .Select(g => g.Key == "default" ? Plural(g.Count(), "explicit variant") : $"{Count(g.Count())} {Text(g.Count() == 1 ? g.Key : g.Key + "s")}")
            .ToList();
        if (includes.Count > 0) words = words.Length == 0 ? string.Join(" + ", includes) : words + " + " + string.Join(" + ", includes);
        if (d.Seeds.Count > 0) words += ", " + Plural(d.Seeds.Count, "seed");
        return words;
    }

    public static void WriteVariables(StringBuilder sb, ExperimentDefinition d)
    {
        sb.Append("## Variables\n\n");
        if (d.Matrix.Count == 0 && d.Seeds.Count == 0) sb.Append("No matrix: the variants are the explicit ones below.\n\n");
        else
        {
            var table = new SummaryTable("Factor", "Levels", "Count");
            foreach (var f in d.Matrix) table.Add(Code(f.Param), Levels(f.Levels.Select(Specs.ParamValues.ToDisplay).ToList()), Count(f.Levels.Count));
            if (d.Seeds.Count > 0)
            {
                var seeds = d.Seeds.Select(x => x.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
                table.Add(Code("seed") + " (seeds, controls included)", Levels(seeds), Count(d.Seeds.Count));
            }
            table.WriteTo(sb, "factors");
        }
        if (d.Excludes.Count > 0)
        {
            sb.Append("Left out of the matrix (exclude):\n\n");
            foreach (var e in d.Excludes.Take(SummaryTable.MaxRows)) sb.Append("- ").Append(Assignments(e.Values, inTable: false)).Append('\n');
            if (d.Excludes.Count > SummaryTable.MaxRows) sb.Append("- … and ").Append(Count(d.Excludes.Count - SummaryTable.MaxRows)).Append(" more\n");
            sb.Append('\n');
        }
        sb.Append("### Controls and explicit variants\n\n");
        if (d.Includes.Count == 0)
        {
            sb.Append("None: every variant comes from the matrix.\n\n");
            return;
        }
        var includes = new SummaryTable("Name", "Kind", "Values", "Seeds");
        foreach (var i in d.Includes)
        {
            if (!includes.HasRoom)
            {
                includes.Skip(1);
                continue;
            }
            var seeds = i.Values.ContainsKey("seed") || d.Seeds.Count == 0 ? "once" : $"each of {Count(d.Seeds.Count)}";
            includes.Add(i.Name is null ? "(named by the template)" : Code(i.Name), Text(i.Kind), i.Values.Count == 0 ? "the defaults" : Assignments(i.Values), seeds);
        }
        includes.WriteTo(sb, "includes");
    }

    /// <summary><c>`a`=`1`, `b`=`x`</c>, in table form.</summary>
    public static string Assignments(IEnumerable<KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>> values, bool inTable = true) =>
        string.Join(", ", values.Select(kv => $"{Code(kv.Key, inTable)}={Code(Specs.ParamValues.ToDisplay(kv.Value), inTable)}"));

    private static string Levels(IReadOnlyList<string> levels)
    {
        var shown = string.Join(", ", levels.Take(MaxLevels).Select(l => Code(l)));
        return levels.Count > MaxLevels ? $"{shown}, … ({Count(levels.Count - MaxLevels)} more)" : shown;
    }
}
