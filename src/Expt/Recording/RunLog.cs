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
    private readonly WriteFaults? _faults;
    private readonly List<byte[]> _unwritten = [];

    /// <summary>Opens (appends to) the run.log of <paramref name="runDir"/>.</summary>
    /// <param name="runDir">The run directory.</param>
    /// <param name="time">The clock of the entries.</param>
    /// <param name="faults">
    /// Where a failed append is reported instead of thrown; the entries are then kept, in order, and written with the next
    /// entry or <see cref="Retry"/>. Without it, a failed append throws.
    /// </param>
    public RunLog(string runDir, TimeProvider time, WriteFaults? faults = null)
    {
        _path = Path.Combine(runDir, FileName);
        _time = time;
        _faults = faults;
    }

    /// <summary>True when every entry is in the file.</summary>
    public bool IsCurrent
    {
        get
        {
            lock (_gate) return _unwritten.Count == 0;
        }
    }

    /// <summary>Appends one entry. <paramref name="action"/> is an upper-case verb such as <c>JOB_START</c>.</summary>
    public void Write(string action, string description, string? details = null, string? result = null)
    {
        var sb = new StringBuilder();
        sb.Append('[').Append(Timestamps.Log(_time.GetLocalNow())).Append("] ").Append(action).Append(": ").Append(OneLine(description)).Append('\n');
        if (details is not null) sb.Append("  Details: ").Append(OneLine(details)).Append('\n');
        if (result is not null) sb.Append("  Result: ").Append(OneLine(result)).Append('\n');
        lock (_gate)
        {
            _unwritten.Add(Encoding.UTF8.GetBytes(sb.ToString()));
            Append();
        }
    }

    /// <summary>Writes the entries a failed append kept; true when none is left.</summary>
    public bool Retry()
    {
        lock (_gate)
        {
            if (_unwritten.Count > 0) Append();
            return _unwritten.Count == 0;
        }
    }

    private void Append()
    {
        try
        {
            // Unbuffered, so that a failed write surfaces here and the part of it that did land can be cut off again:
            // a later entry never follows half of an earlier one.
            using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            var start = stream.Length;
            try
            {
                stream.Write(_unwritten.Count == 1 ? _unwritten[0] : _unwritten.SelectMany(b => b).ToArray());
            }
            catch (IOException)
            {
                stream.SetLength(start);
                throw;
            }
            _unwritten.Clear();
        }
        catch (Exception e) when (_faults is not null && WriteFault.IsWriteFailure(e))
        {
            _faults.Report(_path, e);
        }
        finally
        {
            if (_faults is null) _unwritten.Clear();
        }
    }

    private static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " | ", StringComparison.Ordinal);
}
