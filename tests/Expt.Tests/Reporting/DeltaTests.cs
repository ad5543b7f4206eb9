using Expt.Reporting;

namespace Expt.Tests.Reporting;

public sealed class DeltaTests
{
    [Fact]
    public void Given_two_numbers_when_delta_then_absolute_and_relative_to_the_reference()
    {
        var d = Delta.Of(0.6, 0.8)!.Value;

        d.Absolute.ShouldBe(0.2); // exactly: the binary noise of 0.8 - 0.6 is dropped
        d.Relative!.Value.ShouldBe(1.0 / 3, 1e-12);
    }

    [Fact]
    public void Given_a_third_when_delta_then_both_parts_have_15_significant_digits_as_the_docs_say()
    {
        var d = Delta.Of(0.6, 0.8)!.Value;

        // reporting.md (compare --json, report --format json): deltas are rounded to 15 significant digits.
        d.Relative!.Value.ShouldBe(0.333333333333333);
        System.Text.Json.JsonSerializer.Serialize(d.Relative.Value).ShouldBe("0.333333333333333");
    }

    [Fact]
    public void Given_a_negative_reference_when_delta_then_relative_is_against_its_magnitude()
    {
        var d = Delta.Of(-2, -1)!.Value;

        d.Absolute.ShouldBe(1);
        d.Relative.ShouldBe(0.5); // -1 is better than -2 by half of |-2|, a rise
    }

    [Fact]
    public void Given_a_zero_reference_when_delta_then_no_relative_change()
    {
        var d = Delta.Of(0, 3)!.Value;

        d.Absolute.ShouldBe(3);
        d.Relative.ShouldBeNull();
    }

    [Theory]
    [InlineData(null, 1.0)]
    [InlineData(1.0, null)]
    [InlineData(double.NaN, 1.0)]
    [InlineData(1.0, double.PositiveInfinity)]
    public void Given_a_missing_or_diverged_value_when_delta_then_none(double? reference, double? value) =>
        Delta.Of(reference, value).ShouldBeNull();

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(12.3456, "12.35")]
    [InlineData(1234.56, "1235")]
    [InlineData(123456.7, "123457")]
    [InlineData(0.001234, "0.001234")]
    [InlineData(0.00001234, "1.234e-05")]
    [InlineData(15000000.0, "1.5e+07")]
    [InlineData(-0.25, "-0.25")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Given_a_number_when_formatted_compactly_then_about_four_significant_digits(double value, string expected) =>
        CompactNumber.Format(value).ShouldBe(expected);

    [Theory]
    [InlineData(0.6, 0.8, "+0.2 (+33.3%)")]
    [InlineData(2.0, 1.0, "-1 (-50%)")]
    [InlineData(400.0, 401.0, "+1 (+0.25%)")]
    [InlineData(1.0, 1.0, "0")]
    [InlineData(0.0, 0.5, "+0.5")]
    [InlineData(1e6, 1000000.01, "+0.01 (+1e-06%)")]
    public void Given_a_delta_when_formatted_then_absolute_then_relative_in_percent(double a, double b, string expected) =>
        CompactNumber.Format(Delta.Of(a, b)!.Value).ShouldBe(expected);
}
