using System.Globalization;

namespace Expt.Internal;

/// <summary>Time formats used in files and logs.</summary>
public static class Timestamps
{
    /// <summary>The run-id timestamp: <c>YYYYMMDD_HHMMSS</c> (local time, as people read it).</summary>
    public static string RunId(DateTimeOffset t) => t.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture);

    /// <summary>The run.log timestamp: <c>YYYY-MM-DD HH:MM:SS</c>.</summary>
    public static string Log(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Parses an ISO-8601 timestamp written by Expt or its job wrapper.</summary>
    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
