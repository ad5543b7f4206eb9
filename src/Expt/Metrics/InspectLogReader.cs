using System.IO.Compression;
using System.Text.Json;
using Expt.Internal;

namespace Expt.Metrics;

/// <summary>
/// Reads the summary of an Inspect AI evaluation log, in either of Inspect's two formats, without
/// reading its samples.
/// </summary>
/// <remarks>
/// <para>
/// <b><c>.eval</c></b> files are zips. <c>header.json</c> holds the whole log except samples and is
/// written only when the evaluation ends; a file without it is still running (or crashed), so its
/// status is <see cref="InspectLogStatus.Started"/> and what is known comes from
/// <c>_journal/start.json</c>. Only those two entries are decompressed.
/// </para>
/// <para>
/// <b><c>.json</c></b> files are the older single-file format: the same log object at the top level,
/// samples last. Only the part before <c>samples</c> is read, and a JSON file that does not begin
/// like an Inspect log (a numeric <c>version</c>, then a string <c>status</c>) is recognised as
/// something else after reading its first few kilobytes.
/// </para>
/// <para>
/// Only regular files are opened (a FIFO would block the reader forever), and what is read is bounded by the bytes
/// actually read or decompressed, not by the sizes a zip declares (<see cref="ReadLimits"/>). A file that is not an
/// Inspect log, over a limit or damaged is one warning naming it; nothing is thrown.
/// </para>
/// </remarks>
public static class InspectLogReader
{
    /// <summary>Reads one log.</summary>
    /// <param name="path">An <c>.eval</c> or <c>.json</c> file.</param>
    /// <param name="warnings">Receives the problems found; nothing is thrown for bad files.</param>
    /// <returns>
    /// The log's summary, or <see langword="null"/> when the file is not an Inspect log (a JSON file
    /// of some other kind, silently) or could not be read (with a warning).
    /// </returns>
    public static InspectLogSummary? Read(string path, ICollection<MetricsWarning> warnings)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(warnings);

        var fileWarnings = new FileWarnings(path, warnings);
        if (RegularFile.Problem(path) is { } notRegular)
        {
            fileWarnings.NotRead(notRegular);
            return null;
        }

        try
        {
            return path.EndsWith(".eval", StringComparison.OrdinalIgnoreCase)
                ? ReadEvalFile(path, fileWarnings)
                : ReadJsonFile(path, fileWarnings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException)
        {
            // InvalidDataException: a corrupt zip, one Inspect is rewriting at this moment, or over a limit.
            // NotSupportedException: a zip entry compressed in a way .NET cannot read.
            fileWarnings.NotRead($"could not be read as an Inspect log: {e.Message}");
            return null;
        }
        catch (JsonException e)
        {
            fileWarnings.NotRead($"Inspect log header is not valid JSON: {e.Message}");
            return null;
        }
        finally
        {
            fileWarnings.Flush();
        }
    }

    private static InspectLogSummary? ReadEvalFile(string path, FileWarnings warnings)
    {
        using FileStream file = OpenShared(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var header = new InspectHeader();
        long budget = ReadLimits.InspectEvalBytes;
        if (zip.GetEntry("header.json") is { } headerEntry)
        {
            using (Stream stream = OpenEntry(headerEntry, ref budget))
            {
                InspectHeaderReader.Read(stream, sniff: false, header);
            }

            return Summarise(path, InspectLogFormat.Eval, header, startedSamples: null, warnings);
        }

        if (zip.GetEntry("_journal/start.json") is not { } startEntry)
        {
            warnings.Add(null, "an .eval file with neither header.json nor _journal/start.json is not a readable Inspect log");
            return null;
        }

        using (Stream stream = OpenEntry(startEntry, ref budget))
        {
            InspectHeaderReader.Read(stream, sniff: false, header);
        }

        // No header yet: the status is "started" whatever start.json says, and progress is
        // the number of sample entries written so far, read from the zip directory alone.
        header.Status = null;
        int samples = 0;
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (entry.FullName.StartsWith("samples/", StringComparison.Ordinal)
                && entry.FullName.EndsWith(".json", StringComparison.Ordinal))
            {
                samples++;
            }
        }

        return Summarise(path, InspectLogFormat.Eval, header, samples, warnings);
    }

    /// <summary>
    /// Opens a zip entry for reading at most <see cref="ReadLimits.InspectHeaderBytes"/> of it, and no more than is
    /// left of the whole file's <paramref name="budget"/>, which is charged with what the entry may use.
    /// </summary>
    private static BoundedStream OpenEntry(ZipArchiveEntry entry, ref long budget)
    {
        long limit = Math.Min(ReadLimits.InspectHeaderBytes, budget);
        // The declared size is checked first to spare decompressing an honest giant; the bound on the bytes actually
        // decompressed is what holds against a zip that lies about it.
        if (entry.Length > limit)
        {
            throw new InvalidDataException($"{entry.FullName} expands to {ReadLimits.Format(entry.Length)}, more than the {ReadLimits.Format(limit)} read at most");
        }

        budget -= limit;
        string name = entry.FullName;
        return new BoundedStream(entry.Open(), limit, () => $"{name} expands to more than the {ReadLimits.Format(limit)} read at most");
    }

    private static InspectLogSummary? ReadJsonFile(string path, FileWarnings warnings)
    {
        using var file = new BoundedStream(
            OpenShared(path),
            ReadLimits.InspectHeaderBytes,
            () => $"the log's header (everything before its samples) is larger than the {ReadLimits.Format(ReadLimits.InspectHeaderBytes)} read at most");
        var header = new InspectHeader();
        if (!InspectHeaderReader.Read(file, sniff: true, header) || !header.HasEval)
        {
            return null;
        }

        return Summarise(path, InspectLogFormat.Json, header, startedSamples: null, warnings);
    }

    private static FileStream OpenShared(string path) =>
        // bufferSize 1: the readers do their own buffering. ReadWrite sharing: Inspect may be writing.
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);

    private static InspectLogSummary Summarise(
        string path, InspectLogFormat format, InspectHeader header, int? startedSamples, FileWarnings warnings)
    {
        InspectLogStatus status = header.Status switch
        {
            null => InspectLogStatus.Started,
            "started" => InspectLogStatus.Started,
            "success" => InspectLogStatus.Success,
            "cancelled" => InspectLogStatus.Cancelled,
            "error" => InspectLogStatus.Error,
            _ => InspectLogStatus.Unknown,
        };
        if (status == InspectLogStatus.Unknown)
        {
            warnings.Add(null, $"unknown Inspect status '{header.Status}'");
        }

        foreach (string name in header.NonNumericMetrics)
        {
            warnings.Add(null, $"metric '{name}' has a value that is not a number and was skipped");
        }

        return new InspectLogSummary
        {
            Path = path,
            Format = format,
            Status = status,
            FormatVersion = header.Version,
            Task = header.Task,
            TaskId = header.TaskId,
            Model = header.Model,
            Created = Timestamp(header.Created, "eval.created", warnings),
            StartedAt = Timestamp(header.StartedAt, "stats.started_at", warnings),
            CompletedAt = Timestamp(header.CompletedAt, "stats.completed_at", warnings),
            DatasetSamples = header.DatasetSamples,
            TotalSamples = header.TotalSamples,
            CompletedSamples = header.CompletedSamples ?? startedSamples,
            Metrics = header.Metrics,
            ErrorMessage = header.ErrorMessage,
        };
    }

    private static DateTimeOffset? Timestamp(string? text, string field, FileWarnings warnings)
    {
        if (InspectHeader.TryParseTimestamp(text, out DateTimeOffset? timestamp))
        {
            return timestamp;
        }

        warnings.Add(null, $"{field} '{text}' is not a timestamp");
        return null;
    }
}
