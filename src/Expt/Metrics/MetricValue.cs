using System.Globalization;

namespace Expt.Metrics;

/// <summary>
/// One metric value: a number, a string or a boolean, exactly as the job wrote it.
/// </summary>
/// <remarks>
/// A struct so that long per-step series cost no allocation per point; <c>default</c> is the number 0.
/// </remarks>
public readonly record struct MetricValue
{
    private readonly double _number;
    private readonly string? _text;
    private readonly bool _boolean;
    private readonly bool _integer;

    private MetricValue(MetricKind kind, double number, string? text, bool boolean, bool integer = false)
    {
        Kind = kind;
        _number = number;
        _text = text;
        _boolean = boolean;
        _integer = integer;
    }

    /// <summary>Which of the three kinds this value is.</summary>
    public MetricKind Kind { get; }

    /// <summary>The number, or <see langword="null"/> when <see cref="Kind"/> is not <see cref="MetricKind.Number"/>.</summary>
    public double? AsNumber => Kind == MetricKind.Number ? _number : null;

    /// <summary>The string, or <see langword="null"/> when <see cref="Kind"/> is not <see cref="MetricKind.Text"/>.</summary>
    public string? AsText => Kind == MetricKind.Text ? _text : null;

    /// <summary>The boolean, or <see langword="null"/> when <see cref="Kind"/> is not <see cref="MetricKind.Boolean"/>.</summary>
    public bool? AsBoolean => Kind == MetricKind.Boolean ? _boolean : null;

    /// <summary>A numeric value.</summary>
    /// <param name="value">The number; NaN and infinities are allowed (training losses do diverge).</param>
    public static MetricValue FromNumber(double value) => new(MetricKind.Number, value, null, false);

    /// <summary>
    /// A number the job wrote as a whole number (<c>5</c>, not <c>5.0</c> or <c>5e0</c>), so that exports can write it
    /// back as one; it equals <see cref="FromNumber(double)"/> of the same value. Beyond ±2^53 a double no longer holds
    /// every whole number, so such a value is kept as a plain number.
    /// </summary>
    /// <param name="value">The number.</param>
    public static MetricValue FromInteger(long value) =>
        new(MetricKind.Number, value, null, false, integer: value is >= -MaxExactInteger and <= MaxExactInteger);

    private const long MaxExactInteger = 1L << 53;

    /// <summary>Whether the number was written as a whole number (see <see cref="FromInteger(long)"/>).</summary>
    public bool IsInteger => Kind == MetricKind.Number && _integer;

    /// <summary>A string value.</summary>
    /// <param name="value">The text.</param>
    public static MetricValue FromText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(MetricKind.Text, 0, value, false);
    }

    /// <summary>A boolean value.</summary>
    /// <param name="value">The boolean.</param>
    public static MetricValue FromBoolean(bool value) => new(MetricKind.Boolean, 0, null, value);

    /// <summary>Same kind and value; how a number was written (<see cref="IsInteger"/>) does not count: 5 is 5.0.</summary>
    /// <param name="other">The other value.</param>
    /// <returns>Whether the two are equal.</returns>
    public bool Equals(MetricValue other) =>
        Kind == other.Kind && _number.Equals(other._number) && string.Equals(_text, other._text, StringComparison.Ordinal) && _boolean == other._boolean;

    /// <summary>A hash consistent with <see cref="Equals(MetricValue)"/>.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Kind, _number, _text, _boolean);

    /// <summary>The value in invariant culture: <c>0.25</c>, <c>true</c>, or the text itself.</summary>
    /// <returns>The formatted value.</returns>
    public override string ToString() => Kind switch
    {
        MetricKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        MetricKind.Boolean => _boolean ? "true" : "false",
        _ => _text ?? string.Empty,
    };
}
