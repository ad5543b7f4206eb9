using System.Buffers;
using System.Globalization;
using System.Text;

namespace Expt.Cli.Rendering;

/// <summary>
/// A value shown inside a table cell or on one line: a newline, tab or other control character in a param or metric
/// would break the layout, so it is shown escaped (<c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\u001B</c>). JSON and CSV keep
/// the raw value.
/// </summary>
internal static class CellText
{
    // C0 and C1 controls and DEL, plus the Unicode line and paragraph separators, which terminals also break on.
    private static readonly SearchValues<char> Breaking = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)) + "\u2028\u2029");

    /// <summary>The text with every control character escaped; the same instance when it has none (almost always).</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.AsSpan().IndexOfAny(Breaking);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 8);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!Breaking.Contains(c))
            {
                sb.Append(c);
                continue;
            }
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
            });
        }
        return sb.ToString();
    }
}
