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

    private MetricValue(MetricKind kind, double number, string? text, bool boolean)
    {
        Kind = kind;
        _number = number;
        _text = text;
        _boolean = boolean;
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

    /// <summary>The value in invariant culture: <c>0.25</c>, <c>true</c>, or the text itself.</summary>
    /// <returns>The formatted value.</returns>
    public override string ToString() => Kind switch
    {
        MetricKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        MetricKind.Boolean => _boolean ? "true" : "false",
        _ => _text ?? string.Empty,
    };
}
