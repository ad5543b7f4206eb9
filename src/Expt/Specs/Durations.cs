using System.Globalization;
using System.Text.RegularExpressions;

namespace Expt.Specs;

/// <summary>Parses durations (<c>90s</c>, <c>30m</c>, <c>1h30m</c>, <c>2d</c>, <c>01:30:00</c>, or seconds) and sizes (<c>16G</c>).</summary>
public static partial class Durations
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$")]
    private static partial Regex UnitPattern();

    private const double MaxSeconds = 366 * 24 * 3600;

    /// <summary>Parses a duration; null when the text is not one.</summary>
    public static TimeSpan? TryParse(string? text)
    {
        try
        {
            return Parse(text);
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            // Longer than a TimeSpan holds (99999999d, 1e300): not a duration anyone means.
            return null;
        }
    }

    private static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            // "nan" and "infinity" parse as doubles but are no duration; a year of seconds is the sane ceiling.
            return seconds >= 0 && seconds <= MaxSeconds ? TimeSpan.FromSeconds(seconds) : null;
        }
        if (t.Contains(':', StringComparison.Ordinal))
        {
            var parts = t.Split(':');
            if (parts.Length is 2 or 3 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                var n = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
                // As SLURM reads them: MM:SS or HH:MM:SS, where only the first field may exceed 59.
                if (n.Skip(1).Any(x => x > 59)) return null;
                return parts.Length == 3 ? new TimeSpan(n[0], n[1], n[2]) : new TimeSpan(0, n[0], n[1]);
            }
            return null;
        }
        var m = UnitPattern().Match(t);
        if (!m.Success || t.Length == 0) return null;
        double G(int i) => m.Groups[i].Success ? double.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromDays(G(1)) + TimeSpan.FromHours(G(2)) + TimeSpan.FromMinutes(G(3)) + TimeSpan.FromSeconds(G(4));
    }

    /// <summary>Formats a duration compactly (<c>1h30m</c>, <c>45s</c>, <c>0.4s</c>).</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(10)) return $"{span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
        var parts = new List<string>();
        if (span.Days > 0) parts.Add($"{span.Days}d");
        if (span.Hours > 0) parts.Add($"{span.Hours}h");
        if (span.Minutes > 0) parts.Add($"{span.Minutes}m");
        if (span.Seconds > 0 && span.Days == 0) parts.Add($"{span.Seconds}s");
        return parts.Count == 0 ? "0s" : string.Concat(parts);
    }

    /// <summary>Parses a memory size in MiB (<c>512M</c>, <c>16G</c>, <c>1T</c>, or a plain number of MiB).</summary>
    public static long? TryParseMegabytes(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().ToUpperInvariant().TrimEnd('B').TrimEnd('I');
        double factor = 1;
        if (t.EndsWith('K')) { factor = 1.0 / 1024; t = t[..^1]; }
        else if (t.EndsWith('M')) { t = t[..^1]; }
        else if (t.EndsWith('G')) { factor = 1024; t = t[..^1]; }
        else if (t.EndsWith('T')) { factor = 1024 * 1024; t = t[..^1]; }
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? (long)Math.Ceiling(v * factor)
            : null;
    }
}
