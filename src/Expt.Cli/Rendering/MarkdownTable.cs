using Expt.Internal;
using System.Text;

namespace Expt.Cli.Rendering;

/// <summary>A GitHub-flavoured Markdown pipe table; numeric columns are right-aligned.</summary>
internal sealed class MarkdownTable
{
    private readonly string[] _headers;
    private readonly bool[] _numeric;
    private readonly List<string[]> _rows = [];

    /// <summary>A table with these columns; a header ending in <c>#</c> marks a numeric column (the mark is not shown).</summary>
    public MarkdownTable(params string[] headers)
    {
        _numeric = headers.Select(h => h.EndsWith('#')).ToArray();
        _headers = headers.Select(h => h.TrimEnd('#')).ToArray();
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public override string ToString()
    {
        var sb = new StringBuilder();
        Line(sb, _headers);
        Line(sb, _numeric.Select(n => n ? "---:" : "---").ToArray());
        foreach (var row in _rows) Line(sb, row);
        return sb.ToString();
    }

    /// <summary>A cell's text: a pipe would end the cell and a line break the row, so both are escaped (<c>\|</c>, <c>\n</c>, see <see cref="VisibleText"/>).</summary>
    public static string Escape(string text) => VisibleText.Escape(text).Replace("|", "\\|", StringComparison.Ordinal);

    private void Line(StringBuilder sb, string[] cells)
    {
        sb.Append('|');
        for (var i = 0; i < _headers.Length; i++) sb.Append(' ').Append(Escape(i < cells.Length ? cells[i] : "")).Append(" |");
        sb.Append('\n');
    }
}
