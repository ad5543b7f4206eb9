using System.Buffers;
using System.Globalization;
using System.Text;

namespace Expt.Internal;

/// <summary>
/// Text shown inside a table cell or on one line of a message: a newline, tab or other control character in a param,
/// metric or name would break the layout, so it is shown escaped (<c>\n</c>, <c>\t</c>, <c>\r</c>, <c>\u001B</c>).
/// JSON and CSV keep the raw value.
/// </summary>
internal static class VisibleText
{
    // C0 and C1 controls and DEL, plus the Unicode line and paragraph separators, which terminals also break on.
    private static readonly SearchValues<char> Breaking = SearchValues.Create(
        string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c)) + "\u2028\u2029");

    /// <summary>The text with every control character escaped; the same instance when it has none (almost always).</summary>
    /// <param name="text">The text.</param>
    /// <param name="invisible">Also escape format characters (a zero-width space), which show as nothing: for names in error messages.</param>
    public static string Escape(string text, bool invisible = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = invisible ? IndexOfInvisible(text) : text.AsSpan().IndexOfAny(Breaking);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 8);
        sb.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!Breaking.Contains(c) && !(invisible && char.GetUnicodeCategory(c) == UnicodeCategory.Format))
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

    private static int IndexOfInvisible(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Breaking.Contains(text[i]) || char.GetUnicodeCategory(text[i]) == UnicodeCategory.Format) return i;
        }
        return -1;
    }
}
