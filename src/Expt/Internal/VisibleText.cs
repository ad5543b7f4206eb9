using System.Buffers;
using System.Globalization;
using System.Text;

namespace Expt.Internal;

/// <summary>
/// The one escaper for text a job or a user controls (a stderr line, a param value, a metric name, a reason, a path)
/// on its way to a terminal: anything that is not printable text is shown as an escape instead of acting on the
/// terminal. That is the C0 and C1 controls and DEL (ESC starts the sequences that retitle a window or clear the
/// screen; a newline would break a table's layout), the Unicode format characters (the bidi controls U+202A–U+202E
/// and U+2066–U+2069 that reorder what follows, zero-width spaces and joiners, U+FEFF), the line and paragraph
/// separators, and a surrogate without its pair. They are shown as <c>\n</c>, <c>\t</c>, <c>\r</c>,
/// <c>\u001B</c> or <c>\U000E0001</c>. JSON and CSV output keep the raw value.
/// </summary>
internal static class VisibleText
{
    // Printable ASCII: most text is only this, and is returned as it is after one vectorised scan.
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        string.Concat(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c)));

    /// <summary>The text with everything that is not printable escaped; the same instance when there is nothing to escape (almost always).</summary>
    /// <param name="text">The text, shown on one line.</param>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = IndexOfUnprintable(text, 0);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 8);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length;)
        {
            var status = Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used);
            if (status == OperationStatus.Done && IsPrintable(rune))
            {
                sb.Append(text, i, used);
            }
            else
            {
                // A lone surrogate decodes to nothing: it is shown as its own code unit.
                var code = status == OperationStatus.Done ? rune.Value : text[i];
                sb.Append(code switch
                {
                    '\n' => "\\n",
                    '\t' => "\\t",
                    '\r' => "\\r",
                    > 0xFFFF => "\\U" + code.ToString("X8", CultureInfo.InvariantCulture),
                    _ => "\\u" + code.ToString("X4", CultureInfo.InvariantCulture),
                });
            }
            i += used;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Like <see cref="Escape"/> for text of several lines (a research question, notes): each line escaped, the line
    /// breaks kept.
    /// </summary>
    public static string EscapeLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (IndexOfUnprintable(text, 0) < 0) return text;
        return string.Join('\n', text.Split('\n').Select(Escape));
    }

    private static int IndexOfUnprintable(string text, int from)
    {
        var offset = text.AsSpan(from).IndexOfAnyExcept(PlainAscii);
        if (offset < 0) return -1;
        for (var i = from + offset; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != OperationStatus.Done || !IsPrintable(rune)) return i;
            i += used;
        }
        return -1;
    }

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate);
}
