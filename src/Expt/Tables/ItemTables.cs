using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Reporting;
using Expt.Reporting.Paired;
using Expt.Results;

namespace Expt.Tables;

/// <summary>
/// The per-item table of runs (<c>expt export --items</c>), Inspect's <c>samples_df</c> in spirit: one row per item of
/// every job, from the job's <c>per_item_scores.csv</c>, else <c>per_item_scores.jsonl</c>, else the samples of its
/// Inspect <c>.eval</c> logs (<c>task</c>, <c>id</c>, <c>epoch</c>, <c>target</c> and a <c>score_SCORER</c> column per
/// scorer; Inspect's letters count as Expt counts them: C 1, P 0.5, I and N 0). The columns are <c>experiment</c>,
/// <c>run</c>, <c>job</c>, <c>variant</c>, the job's params, then the items' own columns (one that clashes with an
/// earlier column is named <c>item.NAME</c>). Bounded: <see cref="PerItemFiles.MaxBytes"/> per file and
/// <see cref="ResultTable.MaxRows"/> rows in all.
/// </summary>
public static class ItemTables
{
    private static readonly string[] JobColumns = ["experiment", "run", "job", "variant"];

    /// <summary>The items of every job of <paramref name="runs"/>.</summary>
    /// <param name="runs">The runs.</param>
    /// <param name="warnings">Receives what was left out, naming the file.</param>
    public static ResultTable Items(IReadOnlyList<RunRecord> runs, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(warnings);
        var paramNames = runs.SelectMany(r => r.Jobs.SelectMany(j => j.Params.Keys)).Distinct(StringComparer.Ordinal).ToList();
        var names = new List<string>(JobColumns);
        var taken = new HashSet<string>(JobColumns, StringComparer.Ordinal);
        foreach (var p in paramNames) names.Add(Claim(taken, "param.", p));
        var itemNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = new List<IReadOnlyDictionary<string, JsonNode?>>();
        foreach (var run in runs)
        {
            foreach (var job in run.Jobs)
            {
                foreach (var item in JobItems(job, warnings))
                {
                    if (rows.Count >= ResultTable.MaxRows)
                    {
                        throw new ResultTableException($"the runs have more than {ResultTable.MaxRows.ToString("N0", CultureInfo.InvariantCulture)} items, the most exported in one table; export fewer runs");
                    }
                    var row = new Dictionary<string, JsonNode?>(StringComparer.Ordinal)
                    {
                        ["experiment"] = run.Experiment,
                        ["run"] = run.RunId,
                        ["job"] = job.Id,
                        ["variant"] = job.Entry.Variant,
                    };
                    for (var p = 0; p < paramNames.Count; p++) row[names[JobColumns.Length + p]] = job.Params.GetValueOrDefault(paramNames[p])?.DeepClone();
                    foreach (var (key, value) in item)
                    {
                        if (!itemNames.TryGetValue(key, out var column))
                        {
                            column = itemNames[key] = Claim(taken, "item.", key);
                            names.Add(column);
                        }
                        row[column] = value;
                    }
                    rows.Add(row);
                }
            }
        }
        return ExportTables.Typed(names, rows, TableMetadata.For(runs, "items"));
    }

    private static IEnumerable<List<KeyValuePair<string, JsonNode?>>> JobItems(JobRecord job, ICollection<string> warnings)
    {
        if (!Directory.Exists(job.Directory)) return [];
        foreach (var name in new[] { PerItemFiles.CsvName, PerItemFiles.JsonlName })
        {
            var path = Path.Combine(job.Directory, name);
            if (!File.Exists(path)) continue;
            try
            {
                if (new FileInfo(path).Length > PerItemFiles.MaxBytes)
                {
                    warnings.Add($"{path}: is larger than the {ReadLimits.Format(PerItemFiles.MaxBytes)} read at most; it was not read");
                    return [];
                }
                var table = TextTableFile.Read(path);
                return table.Rows.Select(r => table.Columns.Select((c, i) => new KeyValuePair<string, JsonNode?>(c.Name, ToJson(r[i]))).ToList()).ToList();
            }
            catch (ResultTableException e)
            {
                warnings.Add(e.Message);
                return [];
            }
        }
        var logs = JobDirectoryFiles.Find(job.Directory).InspectCandidates
            .Concat(job.CollectedFiles)
            .Where(p => p.EndsWith(".eval", StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return logs.SelectMany(log => Samples(log, warnings)).ToList();
    }

    private static IEnumerable<List<KeyValuePair<string, JsonNode?>>> Samples(string log, ICollection<string> warnings)
    {
        var task = InspectLogReader.Read(log, new List<MetricsWarning>())?.Task;
        foreach (var sample in InspectSamples.Summaries(log, warnings))
        {
            if (sample.ValueKind != JsonValueKind.Object) continue;
            var cells = new List<KeyValuePair<string, JsonNode?>> { new("task", task) };
            cells.Add(new("id", sample.TryGetProperty("id", out var id) ? Scalar(id) : null));
            cells.Add(new("epoch", sample.TryGetProperty("epoch", out var epoch) ? Scalar(epoch) : null));
            cells.Add(new("target", sample.TryGetProperty("target", out var target) ? Scalar(target) : null));
            if (sample.TryGetProperty("scores", out var scores) && scores.ValueKind == JsonValueKind.Object)
            {
                foreach (var scorer in scores.EnumerateObject())
                {
                    if (scorer.Value.ValueKind != JsonValueKind.Object || !scorer.Value.TryGetProperty("value", out var value)) continue;
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var part in value.EnumerateObject()) cells.Add(new($"score_{scorer.Name}_{part.Name}", Score(part.Value)));
                    }
                    else cells.Add(new($"score_{scorer.Name}", Score(value)));
                }
            }
            yield return cells;
        }
    }

    private static JsonNode? Score(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "C" => JsonValue.Create(1L),
            "P" => JsonValue.Create(0.5),
            "I" or "N" => JsonValue.Create(0L),
            var other => JsonValue.Create(other),
        }
        : Scalar(value);

    // A list or an object (a multi-part target, say) stays JSON text: the table's cells are flat.
    private static JsonNode? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array or JsonValueKind.Object => JsonValue.Create(value.GetRawText()),
        _ => JsonNode.Parse(value.GetRawText()),
    };

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        long l => JsonValue.Create(l),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(Specs.ParamValues.FormatDouble(d, forJson: true)),
        bool b => JsonValue.Create(b),
        DateTimeOffset t => JsonValue.Create(ExportTable.FormatTime(t)),
        _ => JsonValue.Create((string)value),
    };

    private static string Claim(HashSet<string> taken, string prefix, string name)
    {
        var column = name;
        while (!taken.Add(column)) column = prefix + column;
        return column;
    }
}
