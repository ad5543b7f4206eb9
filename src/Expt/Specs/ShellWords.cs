using System.Text;

namespace Expt.Specs;

/// <summary>One word of a simple shell command, unquoted, with what keeps its final text from being known before the job runs.</summary>
/// <param name="Text">The word with its quotes removed.</param>
/// <param name="IsLiteral">False when the shell or Expt changes it: an expansion (<c>$</c>, a backquote), an unquoted glob
/// character or leading <c>~</c>, or a brace (a placeholder, or a shell brace expansion).</param>
/// <param name="IsQuoted">True when any part of it was quoted or escaped (then <c>A=b</c> is not an assignment).</param>
internal sealed record ShellWord(string Text, bool IsLiteral, bool IsQuoted);

/// <summary>
/// Splits a command into the words of one simple command, as <c>sh</c> would, or gives up when the text is more
/// than that: a list, a pipeline, a subshell, a command substitution, a here-document, or several lines. Redirections
/// (<c>&gt; log 2&gt;&amp;1</c>) are dropped with their targets: they do not change what runs.
/// </summary>
internal static class ShellWords
{
    /// <summary>The words, or null when <paramref name="command"/> is not a single simple command.</summary>
    public static IReadOnlyList<ShellWord>? Split(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = command.TrimEnd();
        var words = new List<ShellWord>();
        var word = new StringBuilder();
        bool inWord = false, literal = true, quoted = false, redirectTarget = false;
        var i = 0;

        void End()
        {
            if (inWord)
            {
                // The target of a redirection is not a word of the command.
                if (!redirectTarget) words.Add(new ShellWord(word.ToString(), literal, quoted));
                redirectTarget = false;
            }
            word.Clear();
            inWord = false;
            literal = true;
            quoted = false;
        }

        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t':
                    End();
                    i++;
                    continue;
                case '\n' or ';' or '&' or '|' or '(' or ')' or '`':
                    return null;
                case '#' when !inWord:
                    // A comment to the end of the line; anything on a later line is a second command.
                    return text.IndexOf('\n', i) < 0 ? Finish() : null;
                case '<' or '>':
                    // An all-digit word just before it is the descriptor (2>), not a word of the command.
                    if (inWord && !quoted && word.ToString().All(char.IsAsciiDigit)) { word.Clear(); inWord = false; }
                    End();
                    if (text.AsSpan(i).StartsWith("<<")) return null;
                    i++;
                    if (i < text.Length && text[i] is '>' or '&' or '|') i++;
                    // The target follows, after optional blanks.
                    while (i < text.Length && text[i] is ' ' or '\t') i++;
                    redirectTarget = true;
                    inWord = true;
                    continue;
                case '\\':
                    if (i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i += 2; // a continued line
                        continue;
                    }
                    if (i + 1 < text.Length) word.Append(text[i + 1]);
                    inWord = quoted = true;
                    i += 2;
                    continue;
                case '\'':
                    var close = text.IndexOf('\'', i + 1);
                    if (close < 0) return null;
                    Append(text[(i + 1)..close], quotedPart: true);
                    i = close + 1;
                    continue;
                case '"':
                    var end = i + 1;
                    var part = new StringBuilder();
                    while (end < text.Length && text[end] != '"')
                    {
                        if (text[end] == '\\' && end + 1 < text.Length && text[end + 1] is '$' or '`' or '"' or '\\' or '\n') end++;
                        else if (text[end] is '$' or '`') literal = false;
                        part.Append(text[end++]);
                    }
                    if (end >= text.Length) return null;
                    Append(part.ToString(), quotedPart: true);
                    i = end + 1;
                    continue;
                default:
                    if (c == '$' && i + 1 < text.Length && text[i + 1] == '(') return null;
                    if (c is '$' or '*' or '?' or '[' || (c == '~' && !inWord)) literal = false;
                    Append(c.ToString(), quotedPart: false);
                    i++;
                    continue;
            }
        }
        return Finish();

        void Append(string part, bool quotedPart)
        {
            if (part.Contains('{', StringComparison.Ordinal) || part.Contains('}', StringComparison.Ordinal)) literal = false;
            word.Append(part);
            inWord = true;
            quoted |= quotedPart;
        }

        IReadOnlyList<ShellWord>? Finish()
        {
            var dangling = redirectTarget && word.Length == 0;
            End();
            return dangling ? null : words;
        }
    }
}
