namespace Expt.Design;

/// <summary>
/// Writes what <c>expt design</c> leaves behind, <c>experiment_summary.md</c> (replaced) and <c>design.log</c>
/// (appended), both or neither: each is first written whole beside its final name, and only once both are written are
/// they renamed into place. A full disk thus leaves the folder as it was.
/// </summary>
public static class DesignFiles
{
    /// <summary>The summary's file name.</summary>
    public const string SummaryFileName = DesignAssembly.SummaryFileName;

    /// <summary>
    /// Writes <paramref name="summary"/> and appends <paramref name="entries"/> in <paramref name="directory"/> (created
    /// when missing); returns the two paths. Throws the <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> of a write that failed, after removing what it had begun.
    /// </summary>
    public static (string Summary, string Log) Write(string directory, string summary, IReadOnlyList<DesignLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(entries);
        Directory.CreateDirectory(directory);
        var summaryPath = Path.Combine(directory, SummaryFileName);
        var logPath = Path.Combine(directory, DesignLog.FileName);
        var summaryTemp = TempBeside(summaryPath);
        var logTemp = TempBeside(logPath);
        try
        {
            WriteNew(summaryTemp, System.Text.Encoding.UTF8.GetBytes(summary));
            WriteNew(logTemp, DesignLog.Appended(logPath, entries));
            File.Move(summaryTemp, summaryPath, overwrite: true);
            File.Move(logTemp, logPath, overwrite: true);
        }
        finally
        {
            TryDelete(summaryTemp);
            TryDelete(logTemp);
        }
        return (summaryPath, logPath);
    }

    private static string TempBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    private static void WriteNew(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(bytes);
        stream.Flush();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the file was never renamed into place, so at worst a dot-named temp file is left.
        }
    }
}
