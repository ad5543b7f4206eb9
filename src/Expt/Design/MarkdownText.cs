using System.Text;
using Expt.Internal;

namespace Expt.Design;

/// <summary>
/// Text that a spec, a job or a file system controls (names, values, paths, reasons, a question), made safe for a
/// Markdown document: it can neither break the document's layout (a newline ending a table row, a pipe ending a cell,
/// a backtick ending a code span) nor act on a terminal that shows the raw file (see <see cref="VisibleText"/>).
/// </summary>
internal static class MarkdownText
{
    /// <summary>Longest value shown in a cell; a longer one is cut with an ellipsis (a value can be a long JSON list).</summary>
    public const int MaxLength = 160;

    // Every ASCII punctuation character that can start or end Markdown syntax inside a line.
    private static readonly string Special = "\\`*_[]<>|#~!&";

    /// <summary>Plain text on one line: unprintable characters shown as escapes, Markdown punctuation backslash-escaped.</summary>
    public static string Text(string text) => EscapePunctuation(Cut(VisibleText.Escape(text)));

    /// <summary>
    /// A code span holding <paramref name="text"/> (a name, a value, a path, a command) on one line: fenced by more
    /// backticks than the text's longest run of them. In a table a pipe is escaped (a table reads <c>\|</c> inside a
    /// code span as a pipe); a text holding both a backslash and a pipe is then shown as plain text instead, because
    /// a table cannot tell that pipe from the end of the cell.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="inTable">False outside a table, where a pipe needs no escape.</param>
    public static string Code(string text, bool inTable = true)
    {
        var visible = Cut(VisibleText.Escape(text));
        if (visible.Length == 0) return "\"\"";
        if (inTable && visible.Contains('|', StringComparison.Ordinal))
        {
            if (visible.Contains('\\', StringComparison.Ordinal)) return EscapePunctuation(visible);
            visible = visible.Replace("|", "\\|", StringComparison.Ordinal);
        }
        var fence = new string('`', LongestRun(visible, '`') + 1);
        // A leading or trailing backtick would join the fence; a space on both sides would be stripped by the reader.
        var pad = visible[0] == '`' || visible[^1] == '`' || (visible[0] == ' ' && visible[^1] == ' ') ? " " : "";
        return fence + pad + visible + pad + fence;
    }

    /// <summary>A fenced code block of one command line, never cut (it is there to be copied); unprintable characters escaped.</summary>
    public static string CommandBlock(string command)
    {
        var visible = VisibleText.Escape(command);
        var fence = new string('`', Math.Max(3, LongestRun(visible, '`') + 1));
        return $"{fence}sh\n{visible}\n{fence}\n";
    }

    /// <summary>Text of several lines (a question, notes): each line escaped, the breaks kept as hard line breaks.</summary>
    public static string Paragraph(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0)
            .Select(l => BlockSafe(EscapePunctuation(VisibleText.Escape(l))));
        return string.Join("\\\n", lines);
    }

    private static string EscapePunctuation(string text)
    {
        if (text.AsSpan().IndexOfAny(Special) < 0) return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (Special.Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A line that would start a list, a quote or a heading underline starts with an escape instead.</summary>
    private static string BlockSafe(string line)
    {
        if (line[0] is '-' or '+' or '=' or '>') return "\\" + line;
        var digits = 0;
        while (digits < line.Length && char.IsAsciiDigit(line[digits])) digits++;
        return digits > 0 && digits < line.Length && line[digits] is '.' or ')' ? line[..digits] + "\\" + line[digits..] : line;
    }

    private static int LongestRun(string text, char c)
    {
        var longest = 0;
        var run = 0;
        foreach (var x in text)
        {
            run = x == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    private static string Cut(string text)
    {
        if (text.Length <= MaxLength) return text;
        var end = MaxLength;
        if (char.IsHighSurrogate(text[end - 1])) end--;
        return text[..end] + "…";
    }
}
