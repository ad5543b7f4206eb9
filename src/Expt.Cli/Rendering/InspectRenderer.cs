using System.Globalization;
using System.Text.Json;
using Expt.Internal;
using Expt.Tables;

namespace Expt.Cli.Rendering;

/// <summary>
/// Prints <c>expt inspect</c>: per file its metadata (long values cut to their first line), row count and columns; then
/// the rates and means overall and per <c>--by</c> group, one column per file so that several files read side by side.
/// </summary>
internal static class InspectRenderer
{
    private const int MaxValueWidth = 60;

    public static void Write(TextWriter output, IReadOnlyList<TableInspection> files)
    {
        foreach (var file in files)
        {
            output.WriteLine($"== {VisibleText.Escape(file.File)} ==");
            foreach (var (key, value) in file.Metadata) output.WriteLine($"{VisibleText.Escape(key)}: {Short(value)}");
            output.WriteLine($"rows: {file.Rows.ToString(CultureInfo.InvariantCulture)}");
            output.WriteLine();
            var columns = new TextTable("column", "type", "nulls", "summary");
            foreach (var c in file.Columns) columns.Add(c.Name, TypeName(c.Type), c.Nulls.ToString(CultureInfo.InvariantCulture), Summary(c));
            columns.WriteTo(output);
            output.WriteLine();
        }
        var measured = Measures(files);
        if (measured.Count == 0) return;
        var headers = files.Count == 1 ? new[] { "", "all" }.Concat(files[0].Groups.Select(g => $"{files[0].By}={g.Group}")).ToArray()
            : new[] { "" }.Concat(files.Select(f => Path.GetFileName(f.File))).ToArray();
        var table = new TextTable(headers);
        if (files.Count == 1)
        {
            var f = files[0];
            var groups = new[] { f.Overall }.Concat(f.Groups).ToList();
            table.Add(["rows", .. groups.Select(g => g.Rows.ToString(CultureInfo.InvariantCulture))]);
            for (var m = 0; m < f.Measures.Count; m++) table.Add([Label(f, f.Measures[m]), .. groups.Select(g => Number(g.Values[m]))]);
        }
        else
        {
            table.Add(["rows", .. files.Select(f => f.Rows.ToString(CultureInfo.InvariantCulture))]);
            var by = files.FirstOrDefault(f => f.By is not null)?.By;
            foreach (var (name, group) in measured)
            {
                table.Add([LabelFor(files, name) + (group is null ? "" : $" [{by}={group}]"), .. files.Select(f => Number(ValueOf(f, name, group)))]);
            }
        }
        output.WriteLine(files.Count == 1 && files[0].By is not null ? $"rates and means, overall and by {files[0].By}:" : "rates and means:");
        table.WriteTo(output);
    }

    /// <summary>Every (measure, group) pair over the files, in first-seen order: all rows first, then each group.</summary>
    private static List<(string Name, string? Group)> Measures(IReadOnlyList<TableInspection> files)
    {
        var names = files.SelectMany(f => f.Measures).Distinct(StringComparer.Ordinal).ToList();
        var groups = files.SelectMany(f => f.Groups.Select(g => g.Group!)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var list = names.Select(n => (n, (string?)null)).ToList();
        foreach (var g in groups) list.AddRange(names.Select(n => (n, (string?)g)));
        return list;
    }

    private static double? ValueOf(TableInspection file, string name, string? group)
    {
        var m = IndexOf(file.Measures, name);
        if (m < 0) return null;
        var measures = group is null ? file.Overall : file.Groups.FirstOrDefault(g => g.Group == group);
        return measures?.Values[m];
    }

    private static string LabelFor(IReadOnlyList<TableInspection> files, string name) =>
        files.Select(f => f.Columns.FirstOrDefault(c => c.Name == name)).FirstOrDefault(c => c is not null) is { IsRate: true } ? $"{name} (rate)" : $"{name} (mean)";

    private static string Label(TableInspection file, string name) =>
        file.Columns.First(c => c.Name == name).IsRate ? $"{name} (rate)" : $"{name} (mean)";

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name) return i;
        }
        return -1;
    }

    private static string Summary(ColumnSummary c) => c.Type switch
    {
        TableColumnType.Boolean => $"rate {Number(c.Mean)}",
        TableColumnType.Int64 or TableColumnType.Double when c.IsRate => $"rate {Number(c.Mean)}",
        TableColumnType.Int64 or TableColumnType.Double => c.Mean is null ? "" : $"mean {Number(c.Mean)}, min {c.Min}, max {c.Max}",
        TableColumnType.Timestamp => c.Min is null ? "" : $"{c.Min} .. {c.Max}",
        _ => c.Distinct is 0 or null ? "" : $"{c.Distinct.Value.ToString(CultureInfo.InvariantCulture)} distinct; " + string.Join(", ", c.Top.Select(t => $"{Cut(t.Key, 24)} ({t.Value.ToString(CultureInfo.InvariantCulture)})")),
    };

    public static string TypeName(TableColumnType type) => type switch
    {
        TableColumnType.Int64 => "int64",
        TableColumnType.Double => "double",
        TableColumnType.Boolean => "bool",
        TableColumnType.Timestamp => "timestamp",
        _ => "string",
    };

    private static string Number(double? value) => value is { } v ? Math.Round(v, 4).ToString("0.####", CultureInfo.InvariantCulture) : "-";

    private static string Short(string value)
    {
        var lines = value.Split('\n');
        var first = Cut(lines[0], MaxValueWidth);
        return VisibleText.Escape(lines.Length > 1 ? $"{first} … ({lines.Length} lines)" : first);
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>The inspections as JSON: an array with one object per file.</summary>
    public static void WriteJson(TextWriter output, IReadOnlyList<TableInspection> files)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartArray();
            foreach (var f in files)
            {
                w.WriteStartObject();
                w.WriteString("file", f.File);
                w.WriteNumber("rows", f.Rows);
                w.WriteStartObject("metadata");
                foreach (var (k, v) in f.Metadata) w.WriteString(k, v);
                w.WriteEndObject();
                w.WriteStartArray("columns");
                foreach (var c in f.Columns)
                {
                    w.WriteStartObject();
                    w.WriteString("name", c.Name);
                    w.WriteString("type", TypeName(c.Type));
                    w.WriteNumber("nulls", c.Nulls);
                    if (c.Mean is { } mean) WriteNumber(w, c.IsRate ? "rate" : "mean", mean);
                    if (c.Min is not null) w.WriteString("min", c.Min);
                    if (c.Max is not null) w.WriteString("max", c.Max);
                    if (c.Distinct is { } distinct) w.WriteNumber("distinct", distinct);
                    if (c.Top.Count > 0)
                    {
                        w.WriteStartObject("top");
                        foreach (var (value, count) in c.Top) w.WriteNumber(value, count);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (f.By is not null) w.WriteString("by", f.By);
                w.WriteStartArray("groups");
                foreach (var g in new[] { f.Overall }.Concat(f.Groups))
                {
                    w.WriteStartObject();
                    if (g.Group is null) w.WriteNull("group");
                    else w.WriteString("group", g.Group);
                    w.WriteNumber("rows", g.Rows);
                    w.WriteStartObject("values");
                    for (var m = 0; m < f.Measures.Count; m++)
                    {
                        if (g.Values[m] is { } v) WriteNumber(w, f.Measures[m], v);
                        else w.WriteNull(f.Measures[m]);
                    }
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteString(name, Specs.ParamValues.FormatDouble(value, forJson: true));
    }
}
