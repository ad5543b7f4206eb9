using System.Text;
using Expt.Internal;

namespace Expt.Recording;

/// <summary>
/// run.log: one entry per action, <c>[YYYY-MM-DD HH:MM:SS] ACTION: description</c>, optionally followed by
/// indented <c>Details:</c> and <c>Result:</c> lines. Appended and flushed per entry so it survives a crash.
/// </summary>
public sealed class RunLog
{
    /// <summary>The file name.</summary>
    public const string FileName = "run.log";

    private readonly object _gate = new();
    private readonly string _path;
    private readonly TimeProvider _time;

    /// <summary>Opens (appends to) the run.log of <paramref name="runDir"/>.</summary>
    public RunLog(string runDir, TimeProvider time)
    {
        _path = Path.Combine(runDir, FileName);
        _time = time;
    }

    /// <summary>Appends one entry. <paramref name="action"/> is an upper-case verb such as <c>JOB_START</c>.</summary>
    public void Write(string action, string description, string? details = null, string? result = null)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(Timestamps.Log(_time.GetLocalNow())).Append("] ").Append(action).Append(": ").Append(OneLine(description)).Append('\n');
        if (details is not null) sb.Append("  Details: ").Append(OneLine(details)).Append('\n');
        if (result is not null) sb.Append("  Result: ").Append(OneLine(result)).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        lock (_gate)
        {
            using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(bytes);
        }
    }

    private static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
}
