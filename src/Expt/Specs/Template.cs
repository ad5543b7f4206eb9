using System.Text;

namespace Expt.Specs;

/// <summary>
/// A text with <c>{placeholder}</c> fields (a name without spaces). <c>{{name}}</c> is a literal
/// <c>{name}</c>; shell parameter expansions such as <c>${HOME}</c>, brace groups <c>{ a; b; }</c> and other
/// braces that do not enclose a name are left as they are.
/// </summary>
public sealed class Template
{
    private readonly List<(string Text, bool IsField)> _parts;

    private Template(string source, List<(string, bool)> parts)
    {
        Source = source;
        _parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Source { get; }

    /// <summary>The placeholder names in order of appearance.</summary>
    public IEnumerable<string> Fields => _parts.Where(p => p.IsField).Select(p => p.Text);

    /// <summary>Parses a template; returns null and an explanation when braces do not balance.</summary>
    public static Template? TryParse(string source, out string? error)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parts = new List<(string, bool)>();
        var text = new StringBuilder();
        error = null;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '{' && i + 2 < source.Length && source[i + 1] == '{' && IsNameStart(source[i + 2]))
            {
                // {{name}} is a literal {name}; other doubled braces (JSON such as {"a": {"b": 1}}) stay as written.
                var end = source.IndexOf("}}", i, StringComparison.Ordinal);
                if (end > 0 && source[(i + 2)..end].All(IsNameChar))
                {
                    text.Append('{').Append(source, i + 2, end - i - 2).Append('}');
                    i = end + 1;
                    continue;
                }
            }
            if (c == '$' && i + 1 < source.Length && source[i + 1] == '{')
            {
                var close = source.IndexOf('}', i);
                if (close < 0) { error = $"unclosed '${{' at column {i + 1}"; return null; }
                text.Append(source, i, close - i + 1);
                i = close;
                continue;
            }
            if (c == '{' && i + 1 < source.Length && IsNameStart(source[i + 1]))
            {
                var close = source.IndexOf('}', i);
                var name = close < 0 ? null : source[(i + 1)..close];
                if (name is not null && name.All(IsNameChar))
                {
                    if (text.Length > 0) { parts.Add((text.ToString(), false)); text.Clear(); }
                    parts.Add((name, true));
                    i = close;
                    continue;
                }
                if (close < 0) { error = $"unclosed '{{' at column {i + 1}; a placeholder is {{name}}"; return null; }
            }
            text.Append(c);
        }
        if (text.Length > 0) parts.Add((text.ToString(), false));
        return new Template(source, parts);
    }

    // A placeholder is `{name}` with no spaces, so shell brace groups (`{ cmd; }`) and JSON stay literal text.
    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    /// <summary>Fills every placeholder with <paramref name="resolve"/>; literal text is kept as is.</summary>
    public string Render(Func<string, string> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        var sb = new StringBuilder();
        foreach (var (text, isField) in _parts) sb.Append(isField ? resolve(text) : text);
        return sb.ToString();
    }
}
