using System.Text;

namespace Expt.Specs;

/// <summary>
/// A text with <c>{placeholder}</c> fields. <c>{{</c> and <c>}}</c> are literal braces, and shell
/// parameter expansions such as <c>${HOME}</c> are left to the shell.
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
            if (c == '{' && i + 1 < source.Length && source[i + 1] == '{') { text.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < source.Length && source[i + 1] == '}') { text.Append('}'); i++; continue; }
            if (c == '$' && i + 1 < source.Length && source[i + 1] == '{')
            {
                var close = source.IndexOf('}', i);
                if (close < 0) { error = $"unclosed '${{' at column {i + 1}"; return null; }
                text.Append(source, i, close - i + 1);
                i = close;
                continue;
            }
            if (c == '{')
            {
                var close = source.IndexOf('}', i);
                if (close < 0) { error = $"unclosed '{{' at column {i + 1}; write '{{{{' for a literal brace"; return null; }
                var name = source[(i + 1)..close].Trim();
                if (name.Length == 0) { error = $"empty placeholder '{{}}' at column {i + 1}"; return null; }
                if (text.Length > 0) { parts.Add((text.ToString(), false)); text.Clear(); }
                parts.Add((name, true));
                i = close;
                continue;
            }
            if (c == '}') { error = $"unmatched '}}' at column {i + 1}; write '}}}}' for a literal brace"; return null; }
            text.Append(c);
        }
        if (text.Length > 0) parts.Add((text.ToString(), false));
        return new Template(source, parts);
    }

    /// <summary>Fills every placeholder with <paramref name="resolve"/>; literal text is kept as is.</summary>
    public string Render(Func<string, string> resolve)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        var sb = new StringBuilder();
        foreach (var (text, isField) in _parts) sb.Append(isField ? resolve(text) : text);
        return sb.ToString();
    }
}
