using System.Globalization;

namespace Expt.Planning;

/// <summary>Rules for names that become directory names (variants, cells).</summary>
public static class VariantNames
{
    /// <summary>Longest name accepted, leaving room under the usual 255-byte file-name limit.</summary>
    public const int MaxLength = 150;

    /// <summary>Why <paramref name="name"/> is not a safe directory name, or null when it is.</summary>
    public static string? Problem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0) return "is empty";
        if (name.Length > MaxLength) return $"is longer than {MaxLength} characters";
        if (name is "." or "..") return "is a relative directory reference";
        if (name.Contains("..", StringComparison.Ordinal)) return "contains '..'";
        if (name.IndexOfAny(['/', '\\']) >= 0) return "contains a path separator";
        if (name.StartsWith('.')) return "starts with '.' (hidden; reserved for Expt's own files)";
        if (name.StartsWith('-')) return "starts with '-' (would read as an option)";
        if (name.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator))
        {
            return "contains a control character";
        }
        if (name != name.Trim()) return "starts or ends with white space";
        return null;
    }
}
