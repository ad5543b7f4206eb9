using System.Globalization;
using System.Text;

namespace Expt.Cli.Rendering;

/// <summary>A plain, aligned text table: stable output for logs, pipes and snapshot tests.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(Width(h), _rows.Count == 0 ? 0 : _rows.Max(r => i < r.Length ? Width(r[i]) : 0))).ToArray();
        var sb = new StringBuilder();
        Line(sb, headers, widths);
        Line(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows) Line(sb, row, widths);
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : "";
            line.Append(cell);
            if (i < widths.Length - 1) line.Append(' ', widths[i] - Width(cell) + 2);
        }
        sb.Append(line.ToString().TrimEnd()).Append('\n');
    }

    private static int Width(string s) => new StringInfo(s).LengthInTextElements;
}
