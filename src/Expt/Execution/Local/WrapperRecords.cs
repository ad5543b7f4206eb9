using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>What a job's wrapper left about an attempt: <c>started-N.json</c> and <c>exit-N.json</c>, read back.</summary>
/// <remarks>
/// The wrapper writes them with shell built-ins, in place: a reader may find one half written, which does not parse and
/// counts as not written yet. Times come from the files' own timestamps (a wrapper from an earlier Expt wrote them in the
/// files, and those are read too). The CPU line of <c>times</c> is in the file as the shell printed it, on two lines.
/// </remarks>
internal static class WrapperRecords
{
    /// <summary>The started record: the wrapper's pid and when it started; null when there is none (or not whole yet).</summary>
    public static (int? Pid, DateTimeOffset StartedAt)? ReadStarted(string controlDir, int attempt)
    {
        var path = WrapperScript.StartedPath(controlDir, attempt);
        if (Read(path) is not { } started) return null;
        var pid = started["pid"] is JsonValue p && p.TryGetValue<int>(out var n) ? n : (int?)null;
        return (pid, Timestamps.Parse(Text(started, "startedAt")) ?? WrittenAt(path));
    }

    /// <summary>The attempt's recorded end; null when the wrapper has not recorded it (or not whole yet).</summary>
    public static JobExit? ReadExit(string controlDir, int attempt, DateTimeOffset? started)
    {
        var path = WrapperScript.ExitPath(controlDir, attempt);
        if (Read(path) is not { } exit) return null;
        var startedAt = ReadStarted(controlDir, attempt)?.StartedAt ?? started;
        var endedAt = Timestamps.Parse(Text(exit, "endedAt")) ?? WrittenAt(path);
        var code = exit["exitCode"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : (int?)null;
        return new JobExit(code, startedAt, endedAt, Recorded: true, CpuSeconds: ShellTimes.Parse(ChildrenTimes(Text(exit, "cpu"))));
    }

    /// <summary>
    /// The children's line of <c>times</c>: the last two fields of what the wrapper printed (its own line, then its
    /// children's), or the one line an earlier wrapper kept.
    /// </summary>
    internal static string? ChildrenTimes(string? cpu)
    {
        if (cpu is null) return null;
        var fields = cpu.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 ? $"{fields[^2]} {fields[^1]}" : null;
    }

    private static JsonObject? Read(string path)
    {
        string text;
        try
        {
            if (!File.Exists(path) || RegularFile.Problem(path) is not null) return null;
            text = File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        try
        {
            // The lines `times` printed inside the cpu string; anywhere else a newline is white space anyway.
            return JsonNode.Parse(text.Replace('\n', ' ')) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DateTimeOffset WrittenAt(string path) => new(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
}
