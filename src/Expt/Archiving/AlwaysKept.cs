using System.Text.Json;
using Expt.Metrics;

namespace Expt.Archiving;

/// <summary>
/// The files an archive always keeps, whatever <c>--drop</c> says: what a run is (its manifest, spec, configs,
/// statuses), what happened (logs) and what it found (metrics, Inspect logs), and Expt's own <c>.expt/</c> files.
/// </summary>
public static class AlwaysKept
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "config.json", "status.json", "manifest.json", "manifest.journal.jsonl", "spec.yaml", "run.log", "git.diff",
        "metrics.json", "metrics.jsonl",
    };

    /// <summary>A short description of the rule, for output and docs.</summary>
    public const string Description =
        "config.json, status.json, manifest.json, manifest.journal.jsonl, spec.yaml, run.log, git.diff, git.resume-*.diff, *.log, metrics.json, metrics.jsonl, *.eval, Inspect .json logs, .expt/";

    /// <summary>
    /// Whether <paramref name="relativePath"/> (relative to the run directory) is always kept. A <c>.json</c> file
    /// is read (its first bytes) only when its name does not decide it, to tell an Inspect log from other JSON; with
    /// no <paramref name="fullPath"/> (a link, whose target is not read) the name alone decides.
    /// </summary>
    public static bool IsAlwaysKept(string relativePath, string? fullPath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var segments = relativePath.Replace('\\', '/').Split('/');
        if (segments.Take(segments.Length - 1).Contains(".expt", StringComparer.Ordinal)) return true;
        var name = segments[^1];
        if (Names.Contains(name)) return true;
        if (name.StartsWith("git.resume-", StringComparison.Ordinal) && name.EndsWith(".diff", StringComparison.Ordinal)) return true;
        if (name.EndsWith(".log", StringComparison.Ordinal) || name.EndsWith(".eval", StringComparison.Ordinal)) return true;
        return name.EndsWith(".json", StringComparison.Ordinal) && fullPath is not null && IsInspectJsonLog(fullPath);
    }

    /// <summary>Whether a file is a single-file Inspect log (its first property is a numeric <c>version</c>).</summary>
    public static bool IsInspectJsonLog(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return InspectHeaderReader.Read(stream, sniff: true, new InspectHeader());
        }
        catch (JsonException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
