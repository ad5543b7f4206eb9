using System.Text;
using Expt.Internal;

namespace Expt.Reporting;

/// <summary>The last lines of a log file.</summary>
public static class LogTail
{
    /// <summary>How much of the file's end is read at most.</summary>
    private const int MaxBytes = 64 * 1024;

    /// <summary>
    /// The last <paramref name="lines"/> lines of a file, read from its end so a huge log costs nothing; empty when
    /// missing. A job's stderr that is not a regular file (a FIFO would block) is not opened: its one line says so.
    /// </summary>
    public static IReadOnlyList<string> Read(string path, int lines)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            if (!File.Exists(path) || lines <= 0) return [];
            if (RegularFile.Problem(path) is { } notRegular) return [$"({Path.GetFileName(path)} {notRegular})"];
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var take = (int)Math.Min(stream.Length, MaxBytes);
            stream.Seek(-take, SeekOrigin.End);
            var buffer = new byte[take];
            stream.ReadExactly(buffer);
            var text = Encoding.UTF8.GetString(buffer).TrimEnd('\n', '\r');
            if (text.Length == 0) return [];
            var all = text.Split('\n');
            return all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.TrimEnd('\r')).ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
