using System.Text;
using Expt.Internal;

namespace Expt.Design;

/// <summary>
/// <c>design.log</c>: every check and calculation of each design, appended after the entries of earlier designs, in
/// the format researchers keep such logs in: <c>[YYYY-MM-DD HH:MM:SS] ACTION: description</c>, then
/// <c>Command:</c>, <c>Result:</c> and <c>Explanation:</c> lines (a further line of a field indented by two spaces)
/// and a blank line.
/// </summary>
public static class DesignLog
{
    /// <summary>The file name.</summary>
    public const string FileName = "design.log";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Appends <paramref name="entries"/> to the log at <paramref name="path"/>. The whole new log is written beside it
    /// and renamed over it, so a full disk leaves the earlier log as it was, never half an entry; the
    /// <see cref="IOException"/> then says why.
    /// </summary>
    public static void Append(string path, IReadOnlyList<DesignLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entries);
        AtomicFile.WriteAllBytes(path, Appended(path, entries));
    }

    /// <summary>The entries as the log holds them.</summary>
    public static string Render(IReadOnlyList<DesignLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        foreach (var e in entries)
        {
            sb.Append('[').Append(Timestamps.Log(e.At)).Append("] ").Append(e.Action).Append(": ").Append(OneLine(e.Description)).Append('\n');
            Field(sb, "Command", e.Command);
            Field(sb, "Result", e.Result);
            Field(sb, "Explanation", e.Explanation);
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The bytes of the log at <paramref name="path"/> with <paramref name="entries"/> after its own.</summary>
    internal static byte[] Appended(string path, IReadOnlyList<DesignLogEntry> entries)
    {
        var earlier = File.Exists(path) ? File.ReadAllBytes(path) : [];
        // An earlier log cut short (by hand, or by an older writer) still gets its entries on lines of their own.
        var separator = earlier.Length > 0 && earlier[^1] != (byte)'\n' ? "\n\n" : "";
        return [.. earlier, .. Utf8.GetBytes(separator + Render(entries))];
    }

    private static void Field(StringBuilder sb, string name, string value)
    {
        var lines = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        sb.Append(name).Append(": ").Append(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1)) sb.Append("  ").Append(line).Append('\n');
    }

    private static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
}
