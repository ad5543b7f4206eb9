using Expt.Specs;

namespace Expt.Tests.Specs;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("90", 90)]
    [InlineData("1.5", 1.5)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    [InlineData("01:30", 90)]
    [InlineData("01:30:00", 5400)]
    [InlineData("100:00:00", 360000)]
    public void Given_a_duration_when_parsed_then_it_has_the_expected_seconds(string text, double seconds) =>
        Durations.TryParse(text).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("99:99")]
    [InlineData("1:60:00")]
    [InlineData("nan")]
    [InlineData("Infinity")]
    [InlineData("-5")]
    [InlineData("99999999999999d")]
    [InlineData("ten minutes")]
    [InlineData("")]
    public void Given_text_that_is_no_duration_when_parsed_then_it_is_null_and_never_throws(string text) =>
        Durations.TryParse(text).ShouldBeNull();
}
