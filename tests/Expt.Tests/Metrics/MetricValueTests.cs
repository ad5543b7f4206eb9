using Expt.Metrics;

namespace Expt.Tests.Metrics;

public sealed class MetricValueTests
{
    [Fact]
    public void Given_each_kind_when_formatting_then_it_is_invariant_and_only_its_own_accessor_has_a_value()
    {
        // Given
        MetricValue number = MetricValue.FromNumber(0.1);
        MetricValue text = MetricValue.FromText("best");
        MetricValue boolean = MetricValue.FromBoolean(false);

        // When / Then
        (number.ToString(), text.ToString(), boolean.ToString()).ShouldBe(("0.1", "best", "false"));
        (number.AsNumber, number.AsText, number.AsBoolean).ShouldBe((0.1, null, null));
        (text.AsNumber, text.AsText, text.AsBoolean).ShouldBe((null, "best", null));
        (boolean.AsNumber, boolean.AsText, boolean.AsBoolean).ShouldBe((null, null, false));
        MetricValue.FromNumber(double.NaN).ShouldBe(MetricValue.FromNumber(double.NaN));
        MetricValue.FromNumber(1).ShouldNotBe(MetricValue.FromText("1"));
    }

    [Fact]
    public void Given_whole_numbers_when_made_then_only_exactly_held_ones_are_integers_and_they_equal_the_same_double()
    {
        MetricValue.FromInteger(5).IsInteger.ShouldBeTrue();
        MetricValue.FromNumber(5).IsInteger.ShouldBeFalse();
        MetricValue.FromInteger(5).ShouldBe(MetricValue.FromNumber(5));
        MetricValue.FromInteger(5).GetHashCode().ShouldBe(MetricValue.FromNumber(5).GetHashCode());
        MetricValue.FromInteger(long.MaxValue).IsInteger.ShouldBeFalse();
        MetricValue.FromInteger(long.MinValue).IsInteger.ShouldBeFalse();
    }
}
