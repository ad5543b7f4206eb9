using System.Globalization;

namespace Expt.Internal;

/// <summary>The CPU time a job wrapper measured with sh's <c>times</c> builtin.</summary>
public static class ShellTimes
{
    /// <summary>Parses the children line of sh's <c>times</c> (<c>0m1.230s 0m0.040s</c>) into user + system seconds; null when absent or malformed.</summary>
    public static double? Parse(string? line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        double total = 0;
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = part.IndexOf('m', StringComparison.Ordinal);
            if (m < 0 || !part.EndsWith('s')) return null;
            if (!double.TryParse(part[..m], NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes)
                || !double.TryParse(part[(m + 1)..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return null;
            }
            total += minutes * 60 + seconds;
        }
        return Math.Round(total, 3);
    }
}
