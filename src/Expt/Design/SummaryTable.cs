using System.Globalization;
using System.Text;

namespace Expt.Design;

/// <summary>
/// A Markdown pipe table of cells already made safe by <see cref="MarkdownText"/>, holding at most
/// <see cref="MaxRows"/> rows: a study of 100,000 jobs keeps a document a person can open, and the table says how
/// many rows it leaves out (the counts and totals around it are always complete).
/// </summary>
internal sealed class SummaryTable(params string[] headers)
{
    /// <summary>Most rows a table lists.</summary>
    public const int MaxRows = 2000;

    private readonly List<string[]> _rows = [];

    /// <summary>Rows offered beyond <see cref="MaxRows"/>.</summary>
    public int LeftOut { get; private set; }

    /// <summary>True when another row would be listed (callers skip building rows that would be left out).</summary>
    public bool HasRoom => _rows.Count < MaxRows;

    /// <summary>Adds a row, or counts it as left out when the table is full.</summary>
    public void Add(params string[] cells)
    {
        if (HasRoom) _rows.Add(cells);
        else LeftOut++;
    }

    /// <summary>Counts rows left out without building them.</summary>
    public void Skip(int rows) => LeftOut += rows;

    /// <summary>Writes the table, and a line for the rows left out, naming them by <paramref name="what"/> (e.g. <c>jobs</c>).</summary>
    public void WriteTo(StringBuilder sb, string what, string? leftOutHint = null)
    {
        Line(sb, headers);
        sb.Append('|');
        foreach (var _ in headers) sb.Append(" --- |");
        sb.Append('\n');
        foreach (var row in _rows) Line(sb, row);
        if (LeftOut > 0)
        {
            sb.Append('\n').Append("… and ").Append(LeftOut.ToString("N0", CultureInfo.InvariantCulture)).Append(" more ").Append(what)
                .Append(" not listed (at most ").Append(MaxRows.ToString("N0", CultureInfo.InvariantCulture)).Append(" rows per table")
                .Append(leftOutHint is null ? "" : "; " + leftOutHint).Append(").\n");
        }
        sb.Append('\n');
    }

    private void Line(StringBuilder sb, string[] cells)
    {
        sb.Append('|');
        for (var i = 0; i < headers.Length; i++) sb.Append(' ').Append(i < cells.Length ? cells[i] : "").Append(" |");
        sb.Append('\n');
    }
}
