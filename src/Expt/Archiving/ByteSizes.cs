using System.Globalization;

namespace Expt.Archiving;

/// <summary>Human-readable byte counts in binary units (<c>512 B</c>, <c>1.5 KiB</c>, <c>3.2 GiB</c>).</summary>
public static class ByteSizes
{
    private static readonly string[] Units = ["KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>Formats <paramref name="bytes"/> with one decimal above 1 KiB.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024) return $"{bytes.ToString(CultureInfo.InvariantCulture)} B";
        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return $"{value.ToString("0.0", CultureInfo.InvariantCulture)} {Units[unit]}";
    }
}
