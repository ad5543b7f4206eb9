using System.Text;
using System.Text.RegularExpressions;

namespace Expt.Archiving;

/// <summary>
/// A path glob matched against paths relative to a run directory, with <c>/</c> separators:
/// <c>*</c> matches within one path segment, <c>?</c> one character of a segment, <c>**</c> any number of
/// segments (none included). A pattern without <c>/</c> matches a name at any depth (<c>*.pt</c> is
/// <c>**/*.pt</c>), as in .gitignore. A pattern that matches a directory matches everything below it.
/// Matching is case-sensitive.
/// </summary>
public sealed class Glob
{
    private readonly Regex _regex;

    private Glob(string pattern, Regex regex)
    {
        Pattern = pattern;
        _regex = regex;
    }

    /// <summary>The pattern as given.</summary>
    public string Pattern { get; }

    /// <summary>Parses a pattern; throws <see cref="ArgumentException"/> when it is empty or absolute.</summary>
    public static Glob Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var p = pattern.Replace('\\', '/').Trim();
        if (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        p = p.TrimEnd('/');
        if (p.Length == 0) throw new ArgumentException($"'{pattern}' is an empty glob", nameof(pattern));
        if (p.StartsWith('/')) throw new ArgumentException($"'{pattern}' is absolute; globs are relative to the run directory", nameof(pattern));
        if (!p.Contains('/', StringComparison.Ordinal)) p = "**/" + p;
        return new Glob(pattern, new Regex("^" + ToRegex(p) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    /// <summary>Whether the glob matches <paramref name="relativePath"/> itself (a file or a directory).</summary>
    public bool IsMatch(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return _regex.IsMatch(relativePath.Replace('\\', '/'));
    }

    /// <summary>Whether the glob matches the path or one of the directories above it.</summary>
    public bool Covers(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.Replace('\\', '/');
        for (var end = path.IndexOf('/', StringComparison.Ordinal); end >= 0; end = path.IndexOf('/', end + 1))
        {
            if (_regex.IsMatch(path[..end])) return true;
        }
        return _regex.IsMatch(path);
    }

    /// <inheritdoc />
    public override string ToString() => Pattern;

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                var atStart = i == 0 || pattern[i - 1] == '/';
                var next = i + 2;
                if (atStart && next < pattern.Length && pattern[next] == '/')
                {
                    // "**/": zero or more whole segments.
                    sb.Append("(?:[^/]+/)*");
                    i = next;
                }
                else if (atStart && next == pattern.Length)
                {
                    // A trailing "**": everything below (at least one segment).
                    sb.Append(".+");
                    i = next - 1;
                }
                else
                {
                    // "**" inside a segment ("a**b") means what "*" means.
                    sb.Append("[^/]*");
                    i = next - 1;
                }
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }
        return sb.ToString();
    }
}
