using System.Globalization;
using System.Text;
using Expt.Specs;
using static Expt.Design.MarkdownText;
using static Expt.Design.SummaryFormat;

namespace Expt.Design;

/// <summary>The summary's verified resources and its configuration (every param's default, every stage's settings).</summary>
internal static class SummaryResources
{
    public static void Write(StringBuilder sb, ExperimentDesign design)
    {
        sb.Append("## Resources verified\n\n");
        var checks = design.Resources;
        if (checks.Count == 0) sb.Append("The plan names no path, script or program to check.\n\n");
        else
        {
            var missing = checks.Count(c => c.Problem is not null);
            var notChecked = checks.Count(c => !c.Checked);
            sb.Append(missing == 0 && notChecked == 0 ? $"All {Plural(checks.Count, "resource")} found.\n\n" : missing == 0 ? $"Nothing missing; {Count(notChecked)} of {Plural(checks.Count, "resource")} not checked (marked ?, the note says why).\n\n" : $"✗ {Count(missing)} of {Plural(checks.Count, "resource")} cannot be used.\n\n");
            var table = new SummaryTable("", "Kind", "Path", "Size", "Files", "Used by", "Problem or note");
            foreach (var c in checks.OrderBy(c => c.Problem is null).ThenBy(c => c.Kind))
            {
                if (!table.HasRoom)
                {
                    table.Skip(1);
                    continue;
                }
                var path = c.ResolvedPath is { } r && r != c.Path ? $"{Code(c.Path)} → {Code(r)}" : Code(c.Path);
                var kind = c.Kind.ToString().ToLowerInvariant() + (c.Exists && c.IsDirectory ? " (folder)" : "");
                var mark = c.Problem is not null ? "✗" : c.Checked ? "✓" : "?";
                var said = c.Problem ?? c.Note;
                table.Add(mark, kind, path, Bytes(c.Bytes), c.Files is { } f ? Count(f) : None, Text(c.UsedBy), said is null ? "" : Text(said));
            }
            table.WriteTo(sb, "resources", "the missing ones are listed first");
        }
        var totals = design.Totals;
        var free = design.FreeDiskBytes;
        sb.Append("**Disk:** the estimated output is ").Append(Bytes(totals.OutputBytes)).Append(", ")
            .Append(Bytes(totals.DiskBytes)).Append(" with the ").Append((DesignTotals.DiskMargin * 100).ToString("0", CultureInfo.InvariantCulture)).Append("% margin");
        if (totals.JobsWithoutHistory > 0) sb.Append(" (").Append(Plural(totals.JobsWithoutHistory, "job")).Append(" without history not counted)");
        sb.Append("; free at the results root: ").Append(free is { } b ? Bytes(b) : "unknown");
        if (free is { } have) sb.Append(have >= totals.DiskBytes ? " ✓" : " ⚠ short");
        sb.Append(".\n\n");
    }

    public static void WriteConfiguration(StringBuilder sb, ExperimentDefinition d)
    {
        sb.Append("## Configuration\n\n");
        var table = new SummaryTable("Param", "Type", "Default", "Notes");
        foreach (var p in d.Params)
        {
            var notes = new List<string>();
            if (p.IsRequired) notes.Add("required (no default)");
            if (p.IsSetOnCommandLine) notes.Add("set with `--set`");
            if (p.Min is { } min) notes.Add($"min {ParamValues.FormatDouble(min)}");
            if (p.Max is { } max) notes.Add($"max {ParamValues.FormatDouble(max)}");
            if (p.Values.Count > 0) notes.Add("one of " + string.Join(", ", p.Values.Take(20).Select(v => Code(v))));
            if (p.MustExist) notes.Add("must exist");
            if (!string.IsNullOrWhiteSpace(p.Help)) notes.Add(Text(p.Help));
            table.Add(Code(p.Name), Text(p.Type.ToString()), p.IsRequired ? None : Code(ParamValues.ToDisplay(p.Default)), string.Join("; ", notes));
        }
        table.WriteTo(sb, "params");
        sb.Append("### Stages\n\n");
        var stages = new SummaryTable("Stage", "Runs", "GPUs", "CPUs", "Memory", "Time limit", "Retries");
        foreach (var s in d.Stages)
        {
            var r = s.Resources;
            var merge = s.Merge is null ? "" : $"; merge: {Code(s.Merge)}";
            stages.Add(Code(s.Name), Code(s.Run) + merge, Count(r.Gpus), r.Cpus is { } c ? Count(c) : None, r.MemoryMb is { } m ? Megabytes(m) : None,
                s.Timeout is { } t ? Durations.Format(t) : None, s.Retries == 0 ? "0" : $"{Count(s.Retries)} on {string.Join(", ", s.RetryOn.Select(Text))}");
        }
        stages.WriteTo(sb, "stages");
    }
}
