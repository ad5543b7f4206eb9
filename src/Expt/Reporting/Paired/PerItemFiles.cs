using System.Globalization;
using Expt.Internal;
using Expt.Metrics;

namespace Expt.Reporting.Paired;

/// <summary>
/// Finds and reads a job's per-item table: <c>per_item_scores.csv</c>, else <c>per_item_scores.jsonl</c>, in the job
/// directory, else the samples of the job's Inspect <c>.eval</c> logs. Jobs write these files, so what is read is
/// bounded (<see cref="MaxBytes"/>, <see cref="MaxRows"/>, <see cref="MaxLineBytes"/>) and only regular files are
/// opened; a file or line that cannot be read is a warning naming it, never an exception.
/// </summary>
public static class PerItemFiles
{
    /// <summary>The CSV table's name in a job directory.</summary>
    public const string CsvName = "per_item_scores.csv";

    /// <summary>The JSON Lines table's name in a job directory.</summary>
    public const string JsonlName = "per_item_scores.jsonl";

    /// <summary>The largest table read (bytes on disk, or decompressed from an Inspect log's samples).</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>The most items read from one table: each comparison resamples them 10,000 times.</summary>
    public const int MaxRows = 100_000;

    /// <summary>The longest line (or Inspect sample) read; a longer one is skipped with a warning.</summary>
    public const int MaxLineBytes = 1024 * 1024;

    /// <summary>Reads the per-item table of one job directory; null when it has none (or none could be read).</summary>
    /// <param name="jobDirectory">The job's directory.</param>
    /// <param name="idName">The id column the spec names (<c>per_item: {id: NAME}</c>); null to look for the usual ones.</param>
    /// <param name="warnings">Receives <c>file:line: problem</c> for what was left out.</param>
    public static PerItemTable? Read(string jobDirectory, string? idName, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(jobDirectory);
        ArgumentNullException.ThrowIfNull(warnings);
        if (!Directory.Exists(jobDirectory)) return null;
        var csv = Path.Combine(jobDirectory, CsvName);
        if (File.Exists(csv) || Native.KindOf(csv) is not FileKind.Missing) return ReadFile(csv, idName, warnings);
        var jsonl = Path.Combine(jobDirectory, JsonlName);
        if (File.Exists(jsonl) || Native.KindOf(jsonl) is not FileKind.Missing) return ReadFile(jsonl, idName, warnings);
        var logs = JobDirectoryFiles.Find(jobDirectory).InspectCandidates.Where(p => p.EndsWith(".eval", StringComparison.OrdinalIgnoreCase)).ToList();
        return logs.Count == 0 ? null : InspectSamples.Read(logs, warnings);
    }

    /// <summary>Reads one CSV or JSON Lines table (by its extension).</summary>
    public static PerItemTable? ReadFile(string path, string? idName, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(warnings);
        if (RegularFile.Problem(path) is { } problem)
        {
            warnings.Add($"{path}: {problem}");
            return null;
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            if (file.Length > MaxBytes)
            {
                warnings.Add($"{path}: is larger than the {ReadLimits.Format(MaxBytes)} read at most; it was not read");
                return null;
            }
            // Bounded by what is read, not the length seen at opening: the job may still be appending.
            using var bounded = new BoundedStream(file, MaxBytes, () => $"grew past the {ReadLimits.Format(MaxBytes)} read at most while it was read");
            using var reader = new StreamReader(bounded);
            var lines = Lines(reader, path, warnings);
            return path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
                ? PerItemJsonl.Read(path, lines, idName, warnings)
                : PerItemCsv.Read(path, lines, idName, warnings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            warnings.Add($"{path}: could not be read: {e.Message}");
            return null;
        }
    }

    /// <summary>The file's non-empty lines with their numbers; longer lines than <see cref="MaxLineBytes"/> skipped, and no more than <see cref="MaxRows"/> + 1.</summary>
    private static List<(int Line, string Text)> Lines(StreamReader reader, string path, ICollection<string> warnings)
    {
        var lines = new List<(int, string)>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length > MaxLineBytes)
            {
                warnings.Add($"{path}:{number.ToString(CultureInfo.InvariantCulture)}: is longer than {ReadLimits.Format(MaxLineBytes)}; skipped");
                continue;
            }
            if (line.Trim().Length == 0) continue;
            if (lines.Count > MaxRows)
            {
                warnings.Add($"{path}:{number.ToString(CultureInfo.InvariantCulture)}: more than {MaxRows.ToString(CultureInfo.InvariantCulture)} items; the rest was not read");
                break;
            }
            lines.Add((number, line));
        }
        return lines;
    }
}
