using Expt.Internal;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Expt.Cli.Rendering;

/// <summary>
/// A plain, aligned text table: stable output for logs, pipes and snapshot tests. Cells are one line each: control
/// characters in them are shown escaped (<see cref="VisibleText"/>).
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly string[] _headers = Escaped(headers);
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells) => _rows.Add(Escaped(cells));

    public override string ToString() => Build().ToString();

    /// <summary>Writes the table in one pass over one buffer (a listing can be tens of thousands of lines).</summary>
    public void WriteTo(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Build());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private StringBuilder Build()
    {
        var widths = new int[_headers.Length];
        for (var i = 0; i < _headers.Length; i++) widths[i] = Width(_headers[i]);
        var length = 0;
        foreach (var row in _rows)
        {
            for (var i = 0; i < widths.Length && i < row.Length; i++) widths[i] = Math.Max(widths[i], Width(row[i]));
        }
        foreach (var w in widths) length += w + 2;
        var sb = new StringBuilder((length + 1) * (_rows.Count + 2));
        Line(sb, _headers, widths);
        Line(sb, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows) Line(sb, row, widths);
        return sb;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        var start = sb.Length;
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : "";
            sb.Append(cell);
            if (i < widths.Length - 1) sb.Append(' ', widths[i] - Width(cell) + 2);
        }
        // No trailing blanks (empty last cells, or a last cell ending in spaces).
        var end = sb.Length;
        while (end > start && char.IsWhiteSpace(sb[end - 1])) end--;
        sb.Length = end;
        sb.Append('\n');
    }

    // Copied only when a cell needs escaping (almost never): a listing of many thousands of rows pays one scan per cell.
    private static string[] Escaped(string[] cells)
    {
        string[]? copy = null;
        for (var i = 0; i < cells.Length; i++)
        {
            var escaped = VisibleText.Escape(cells[i]);
            if (!ReferenceEquals(escaped, cells[i])) (copy ??= (string[])cells.Clone())[i] = escaped;
        }
        return copy ?? cells;
    }

    // Cells are almost always ASCII, whose width is their length; anything else counts text elements.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Width(string s) => Ascii.IsValid(s) ? s.Length : new StringInfo(s).LengthInTextElements;
}
