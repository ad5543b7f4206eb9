using System.Globalization;

namespace Expt.Reporting;

/// <summary>Numbers as people read them in a terminal table: about four significant digits, invariant culture.</summary>
public static class CompactNumber
{
    /// <summary>
    /// <c>0.5</c>, <c>12.35</c>, <c>1235</c>, <c>0.001234</c>; very large or very small magnitudes in exponent form
    /// (<c>1.5e+07</c>); <c>nan</c>, <c>inf</c>, <c>-inf</c>.
    /// </summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return "0";
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e7 || magnitude < 1e-4) return value.ToString("0.###e+00", CultureInfo.InvariantCulture);
        var decimals = Math.Clamp(3 - (int)Math.Floor(Math.Log10(magnitude)), 0, 10);
        var text = Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    /// <summary>Like <see cref="Format(double)"/> with an explicit sign: <c>+0.1</c>, <c>-3</c>, <c>0</c>.</summary>
    public static string FormatSigned(double value)
    {
        var text = Format(value);
        return value > 0 && !double.IsPositiveInfinity(value) ? "+" + text : text == "inf" ? "+inf" : text;
    }

    /// <summary>
    /// A delta as <c>+0.1 (+20%)</c>: the relative part with one decimal (<c>+33.3%</c>), two below 1%
    /// (<c>-0.25%</c>); only the absolute part when the relative one is undefined; <c>0</c> for no change.
    /// </summary>
    public static string Format(Delta delta)
    {
        if (delta.Absolute == 0) return "0";
        var absolute = FormatSigned(delta.Absolute);
        return delta.Relative is { } r ? $"{absolute} ({Percent(r * 100)})" : absolute;
    }

    /// <summary>A signed percentage: <c>+33.3%</c>, <c>-0.25%</c>, <c>+1.2e-05%</c>.</summary>
    public static string Percent(double percent)
    {
        var magnitude = Math.Abs(percent);
        var rounded = magnitude >= 1 ? Math.Round(percent, 1, MidpointRounding.AwayFromZero) : Math.Round(percent, 2, MidpointRounding.AwayFromZero);
        // A change too small for two decimals is still a change: show its digits rather than 0%.
        if (rounded == 0 && percent != 0) return FormatSigned(percent) + "%";
        return (rounded > 0 ? "+" : "") + rounded.ToString("0.##", CultureInfo.InvariantCulture) + "%";
    }
}
