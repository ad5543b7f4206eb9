using System.Text.RegularExpressions;

namespace Expt.Internal;

/// <summary>POSIX shell quoting.</summary>
public static partial class Shell
{
    [GeneratedRegex("^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex Safe();

    /// <summary>Quotes <paramref name="value"/> so that <c>sh</c> reads it back as exactly one word.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && Safe().IsMatch(value)) return value;
        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
