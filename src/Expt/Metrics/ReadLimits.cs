using System.Globalization;

namespace Expt.Metrics;

/// <summary>
/// How much of a job's metrics files is read at most. Jobs write these files, so a runaway or hostile job must not
/// be able to make every listing of the results root read gigabytes or run out of memory: a file over its limit is
/// left unread with one warning naming it, and the rest of the root is read as usual. The limits are far above what
/// real files need (documented in docs/layout.md, "Metrics files").
/// </summary>
public static class ReadLimits
{
    private const long MiB = 1024 * 1024;

    /// <summary>The largest <c>metrics.json</c> read: it is parsed whole.</summary>
    public const long MetricsJsonBytes = 64 * MiB;

    /// <summary>The largest <c>metrics.jsonl</c> read (streamed, but every point is kept).</summary>
    public const long MetricsJsonlBytes = 1024 * MiB;

    /// <summary>The longest line of <c>metrics.jsonl</c>; a longer line is skipped with a warning.</summary>
    public const int MetricsJsonlLineBytes = (int)MiB;

    /// <summary>
    /// The most bytes decompressed from one entry of an <c>.eval</c> log (<c>header.json</c>, <c>_journal/start.json</c>),
    /// and read from a <c>.json</c> log before its samples.
    /// </summary>
    public const long InspectHeaderBytes = 64 * MiB;

    /// <summary>The most bytes decompressed from one <c>.eval</c> log in all.</summary>
    public const long InspectEvalBytes = 128 * MiB;

    /// <summary>A byte count as "64 MiB" (or "1.5 GiB").</summary>
    internal static string Format(long bytes) => bytes switch
    {
        >= 1024 * MiB => (bytes / (1024.0 * MiB)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= MiB => (bytes / (double)MiB).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        >= 1024 => (bytes / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
