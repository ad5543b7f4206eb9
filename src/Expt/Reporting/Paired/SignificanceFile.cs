using Expt.Internal;
using Expt.Reporting.Statistics;
using Expt.Results;

namespace Expt.Reporting.Paired;

/// <summary>
/// <c>significance.json</c> in a run directory: the paired comparisons of the run's last report, for tools that want
/// the figures without the report. Written atomically by <c>expt report</c> when there are comparisons.
/// </summary>
public static class SignificanceFile
{
    /// <summary>The file's name in a run directory.</summary>
    public const string FileName = "significance.json";

    /// <summary>The version of the file's form.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Writes the file for <paramref name="report"/> of <paramref name="run"/>.</summary>
    /// <returns>Null when written or when there is nothing to write; else why it was not (an archived or read-only run).</returns>
    public static string? TryWrite(RunRecord run, StudyReport report)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(report);
        if (report.Paired.Count == 0) return null;
        if (run.Archive is not null) return $"{FileName} not written: the run is archived (its copy is read-only)";
        var document = new Document(
            SchemaVersion,
            report.Experiment,
            report.RunId,
            report.Stage,
            report.Baseline,
            report.Over,
            new BootstrapSettings(PairedBootstrap.Resamples, PairedBootstrap.Seed, PairedBootstrap.Confidence, "percentile"),
            report.Paired);
        var path = Path.Combine(run.Directory, FileName);
        try
        {
            AtomicFile.WriteAllText(path, JsonFiles.Serialize(document, ReportJson.WithNulls) + "\n");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{FileName} not written: the run directory is not writable ({e.Message})";
        }
    }

    /// <summary>The file's content, in the order its fields are written.</summary>
    internal sealed record Document(
        int SchemaVersion,
        string Experiment,
        string RunId,
        string Stage,
        string? Baseline,
        string? Over,
        BootstrapSettings Bootstrap,
        IReadOnlyList<PairedComparison> Paired);

    /// <summary>How the intervals were computed.</summary>
    internal sealed record BootstrapSettings(int Resamples, ulong Seed, double Confidence, string Method);
}
