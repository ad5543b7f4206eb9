namespace Expt.Reporting;

/// <summary>How a value differs from the reference (the first side of a comparison).</summary>
/// <param name="Absolute">value − reference.</param>
/// <param name="Relative">(value − reference) / |reference|, as a fraction (0.2 = +20%); null when the reference is 0.</param>
public readonly record struct Delta(double Absolute, double? Relative)
{
    /// <summary>The delta of <paramref name="value"/> against <paramref name="reference"/>; null unless both are finite numbers.</summary>
    public static Delta? Of(double? reference, double? value)
    {
        // A diverged value (NaN, infinity) has no meaningful difference to anything.
        if (reference is not { } a || value is not { } b || !double.IsFinite(a) || !double.IsFinite(b)) return null;
        var absolute = Clean(b - a);
        // A relative change from zero has no meaning; only the absolute one is reported.
        double? relative = a == 0 ? null : Clean((b - a) / Math.Abs(a));
        return new Delta(absolute, relative);
    }

    // 0.8 - 0.6 is 0.20000000000000007 in binary; 15 significant digits drop the noise and keep every real digit.
    private static double Clean(double value) =>
        double.Parse(value.ToString("G15", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);
}
