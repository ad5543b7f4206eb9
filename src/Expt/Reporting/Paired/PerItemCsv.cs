using System.Globalization;
using System.Text;

namespace Expt.Reporting.Paired;

/// <summary><c>per_item_scores.csv</c>: a header row, then one item a row; fields separated by commas, quoted with <c>"</c> (RFC 4180, without line breaks inside fields).</summary>
internal static class PerItemCsv
{
    public static PerItemTable? Read(string path, List<(int Line, string Text)> lines, string? idName, ICollection<string> warnings)
    {
        if (lines.Count == 0)
        {
            warnings.Add($"{path}: is empty; it was not read");
            return null;
        }
        var (headerLine, headerText) = lines[0];
        var header = Split(headerText.TrimStart('\uFEFF'));
        if (header is null || header.Any(string.IsNullOrWhiteSpace) || header.Distinct(StringComparer.Ordinal).Count() != header.Count)
        {
            warnings.Add($"{path}:{headerLine.ToString(CultureInfo.InvariantCulture)}: the header needs distinct, non-empty column names; the file was not read");
            return null;
        }
        var names = header.Select(h => h!.Trim()).ToList();
        var rows = new List<RawRow>(lines.Count - 1);
        foreach (var (line, text) in lines.Skip(1))
        {
            var cells = Split(text);
            if (cells is null || cells.Count != names.Count)
            {
                var why = cells is null ? "has an unclosed quote" : $"has {cells.Count.ToString(CultureInfo.InvariantCulture)} fields, the header {names.Count.ToString(CultureInfo.InvariantCulture)}";
                warnings.Add($"{path}:{line.ToString(CultureInfo.InvariantCulture)}: {why}; the row was skipped");
                continue;
            }
            rows.Add(new RawRow(line, cells.Select(c => c?.Trim()).ToList()));
        }
        return PerItemTable.Build(path, names, rows, idName, warnings);
    }

    /// <summary>The fields of one line; null when a quote is not closed.</summary>
    internal static List<string?>? Split(string line)
    {
        var fields = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else field.Append(c);
        }
        if (quoted) return null;
        fields.Add(field.ToString());
        return fields;
    }
}
