using System.Globalization;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Tables;

/// <summary>
/// The key-value metadata Expt writes into a results file, so the file says where it came from: <c>experiment</c>,
/// <c>run_ids</c>, <c>git_commit</c>, <c>created</c>, <c>question</c>, <c>hypothesis</c>, <c>notes</c>, <c>spec</c>
/// (the run's spec.yaml), <c>expt_version</c>, <c>schema_version</c>, <c>table</c> (<c>jobs</c> or <c>items</c>).
/// With several runs, values that differ are joined, one per line (<c>spec</c> and the texts are the last run's,
/// <c>created</c> the first's, <c>notes</c> every run's).
/// </summary>
public static class TableMetadata
{
    /// <summary>The version of this layout of metadata and columns (<c>schema_version</c>).</summary>
    public const int SchemaVersion = 1;

    /// <summary>The largest spec.yaml copied into the metadata.</summary>
    public const int MaxSpecBytes = 256 * 1024;

    /// <summary>The metadata of a table of <paramref name="runs"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(IReadOnlyList<RunRecord> runs, string table)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var texts = runs.Select(r => RunSpecText.Read(r.Directory)).ToList();
        var list = new List<KeyValuePair<string, string>>();
        void Add(string key, IEnumerable<string?> values)
        {
            var distinct = values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).ToList();
            if (distinct.Count > 0) list.Add(new(key, string.Join('\n', distinct)));
        }
        Add("experiment", runs.Select(r => r.Experiment));
        Add("run_ids", runs.Select(r => r.RunId));
        Add("git_commit", runs.Select(r => r.Manifest.Git.Commit));
        Add("created", runs.Take(1).Select(r => ExportTable.FormatTime(r.Manifest.Created)));
        Add("question", texts.TakeLast(1).Select(t => t.Question ?? runs[^1].Manifest.Question));
        Add("hypothesis", texts.TakeLast(1).Select(t => t.Hypothesis));
        Add("notes", runs.Select((r, i) => RunNotes.Text(texts[i].Notes, r.Manifest.Notes)));
        Add("spec", runs.TakeLast(1).Select(r => SpecYaml(r.Directory)));
        Add("expt_version", [typeof(TableMetadata).Assembly.GetName().Version?.ToString(3)]);
        Add("schema_version", [SchemaVersion.ToString(CultureInfo.InvariantCulture)]);
        Add("table", [table]);
        return list;
    }

    private static string? SpecYaml(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunSpecText.FileName);
        try
        {
            if (!File.Exists(path) || Internal.RegularFile.Problem(path) is not null || new FileInfo(path).Length > MaxSpecBytes) return null;
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
