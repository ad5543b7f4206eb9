using System.Text.RegularExpressions;

namespace Expt.Recording;

/// <summary>A write of a run's records that failed: which file, and why. A full disk is named as such.</summary>
/// <param name="Path">The file that could not be written (never the temporary file an atomic write goes through).</param>
/// <param name="Message">The system's reason, without the path.</param>
/// <param name="DiskFull">True when the file system is out of space or out of quota.</param>
public sealed partial record WriteFault(string Path, string Message, bool DiskFull)
{
    // Linux errno values: .NET reports an unmapped errno as the IOException's HResult.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    /// <summary>One line for people: <c>disk full: cannot write PATH (No space left on device)</c>.</summary>
    public string Describe() => DiskFull ? $"disk full: cannot write {Path} ({Message})" : $"cannot write {Path}: {Message}";

    /// <summary>Whether <paramref name="exception"/> is how writing a file fails (as opposed to a bug).</summary>
    public static bool IsWriteFailure(Exception exception) => exception is IOException or UnauthorizedAccessException;

    /// <summary>Whether <paramref name="exception"/> says the file system is out of space or quota (ENOSPC, EDQUOT).</summary>
    public static bool IsDiskFull(Exception exception) => exception is IOException { HResult: NoSpace or QuotaExceeded };

    /// <summary>The fault of a failed write of <paramref name="path"/>; without a path, the one the exception names.</summary>
    public static WriteFault From(string? path, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var named = PathInMessage().Match(message);
        if (named.Success) message = message[..named.Index];
        path ??= named.Success ? Untemporary(named.Groups["path"].Value) : "the run directory";
        return new WriteFault(path, message.TrimEnd(' ', '.'), IsDiskFull(exception));
    }

    /// <summary>An atomic write's temporary file (<c>.NAME.PID.GUID.tmp</c>) stands for NAME.</summary>
    private static string Untemporary(string path)
    {
        var temp = TemporaryName().Match(System.IO.Path.GetFileName(path));
        return temp.Success ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path) ?? "", temp.Groups["name"].Value) : path;
    }

    [GeneratedRegex(@" : '(?<path>[^']*)'$")]
    private static partial Regex PathInMessage();

    [GeneratedRegex(@"^\.(?<name>.+)\.[0-9]+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex TemporaryName();
}
