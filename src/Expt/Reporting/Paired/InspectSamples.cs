using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Expt.Internal;
using Expt.Metrics;

namespace Expt.Reporting.Paired;

/// <summary>
/// The per-item scores of Inspect <c>.eval</c> logs: each sample's id (with its epoch after the first) and the value
/// of each scorer, from the log's sample summaries (<c>summaries.json</c>, or the journal's
/// <c>_journal/summaries/*.json</c> of a log still being written). Inspect's letter values count as it counts them:
/// C (correct) 1, P (partial) 0.5, I (incorrect) and N (no answer) 0. A scorer whose value is an object gives a
/// column per key (<c>scorer/key</c>). With several logs in a job, ids are prefixed with the log's task.
/// </summary>
internal static class InspectSamples
{
    private static readonly string[] SummaryPrefix = ["_journal/summaries/"];

    public static PerItemTable? Read(IReadOnlyList<string> logs, ICollection<string> warnings)
    {
        var names = new List<string> { "id" };
        var index = new Dictionary<string, int>(StringComparer.Ordinal) { ["id"] = 0 };
        var rows = new List<RawRow>();
        foreach (var log in logs)
        {
            var prefix = logs.Count > 1 ? (InspectLogReader.Read(log, new List<MetricsWarning>())?.Task ?? Path.GetFileNameWithoutExtension(log)) + "/" : "";
            foreach (var sample in Summaries(log, warnings))
            {
                if (rows.Count >= PerItemFiles.MaxRows) break;
                var cells = new Dictionary<int, string?>();
                void Put(string column, string? value)
                {
                    if (!index.TryGetValue(column, out var c))
                    {
                        c = index[column] = names.Count;
                        names.Add(column);
                    }
                    cells[c] = value;
                }
                if (sample.ValueKind != JsonValueKind.Object || !sample.TryGetProperty("id", out var id) || PerItemJsonl.Cell(id) is not { Length: > 0 } idText) continue;
                var epoch = sample.TryGetProperty("epoch", out var e) && e.TryGetInt32(out var n) ? n : 1;
                Put("id", prefix + idText + (epoch > 1 ? "#" + epoch.ToString(CultureInfo.InvariantCulture) : ""));
                if (sample.TryGetProperty("scores", out var scores) && scores.ValueKind == JsonValueKind.Object)
                {
                    foreach (var scorer in scores.EnumerateObject())
                    {
                        if (!scorer.Value.TryGetProperty("value", out var value)) continue;
                        if (value.ValueKind == JsonValueKind.Object)
                        {
                            foreach (var part in value.EnumerateObject()) Put($"{scorer.Name}/{part.Name}", Value(part.Value));
                        }
                        else Put(scorer.Name, Value(value));
                    }
                }
                rows.Add(new RawRow(rows.Count + 1, Enumerable.Range(0, names.Count).Select(c => cells.GetValueOrDefault(c)).ToList()));
            }
        }
        if (rows.Count == 0) return null;
        var padded = rows.Select(r => r with { Cells = [.. r.Cells, .. Enumerable.Repeat<string?>(null, names.Count - r.Cells.Count)] }).ToList();
        return PerItemTable.Build(logs.Count == 1 ? logs[0] : Path.GetDirectoryName(logs[0])!, names, padded, "id", warnings);
    }

    private static string? Value(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "C" => "1",
            "P" => "0.5",
            "I" or "N" => "0",
            var other => other,
        }
        : PerItemJsonl.Cell(value);

    /// <summary>Every sample summary of one log; a log that cannot be read is a warning and yields none.</summary>
    internal static List<JsonElement> Summaries(string log, ICollection<string> warnings)
    {
        var samples = new List<JsonElement>();
        if (RegularFile.Problem(log) is { } problem)
        {
            warnings.Add($"{log}: {problem}");
            return samples;
        }
        try
        {
            using var file = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            var entries = zip.GetEntry("summaries.json") is { } whole
                ? [whole]
                : zip.Entries.Where(en => SummaryPrefix.Any(p => en.FullName.StartsWith(p, StringComparison.Ordinal)) && en.FullName.EndsWith(".json", StringComparison.Ordinal))
                    .OrderBy(en => en.FullName.Length).ThenBy(en => en.FullName, StringComparer.Ordinal).ToList();
            var budget = PerItemFiles.MaxBytes;
            foreach (var entry in entries)
            {
                if (entry.Length > budget) throw new InvalidDataException($"{entry.FullName} expands to more than the {ReadLimits.Format(PerItemFiles.MaxBytes)} read at most");
                using var stream = new BoundedStream(entry.Open(), budget, () => $"{entry.FullName} expands to more than the {ReadLimits.Format(PerItemFiles.MaxBytes)} read at most");
                using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
                budget -= stream.BytesRead;
                if (document.RootElement.ValueKind != JsonValueKind.Array) continue;
                samples.AddRange(document.RootElement.EnumerateArray().Select(s => s.Clone()));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or NotSupportedException or JsonException)
        {
            warnings.Add($"{log}: its samples could not be read: {e.Message}");
            samples.Clear();
        }
        return samples;
    }
}
