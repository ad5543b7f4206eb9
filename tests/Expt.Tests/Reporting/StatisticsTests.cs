using Expt.Reporting;

namespace Expt.Tests.Reporting;

public sealed class StatisticsTests
{
    // Wikipedia's "Welch's t-test", example 3 (t = −2.22, p = 0.036 as printed there). The expected values below are
    // worked out from the definitions: means 19.37 and 21.59, variances 1.3001 and 17.1735 over n = 10 and 20; the
    // p-value by numerically integrating Student's t density with 24.52 degrees of freedom.
    private static readonly double[] A = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0];
    private static readonly double[] B = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7, 23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3];

    [Fact]
    public void Given_the_textbook_samples_when_welch_tested_then_t_df_and_p_match_the_published_values()
    {
        var result = Welch.Test(A, B)!.Value;

        result.T.ShouldBe(-2.225512, 1e-6);
        result.DegreesOfFreedom.ShouldBe(24.524635, 1e-6);
        result.PValue.ShouldBe(0.035485, 1e-6);
    }

    [Theory]
    [InlineData(1e80)]
    [InlineData(1e-100)]
    [InlineData(1e300)]
    [InlineData(1e-300)]
    public void Given_the_textbook_samples_at_any_scale_when_welch_tested_then_t_df_and_p_do_not_change(double scale)
    {
        var result = Welch.Test(A.Select(v => v * scale).ToList(), B.Select(v => v * scale).ToList())!.Value;

        result.T.ShouldBe(-2.225512, 1e-6);
        result.DegreesOfFreedom.ShouldBe(24.524635, 1e-6);
        result.PValue.ShouldBe(0.035485, 1e-6);
    }

    [Theory]
    [InlineData(1e-300)]
    [InlineData(1e300)]
    public void Given_values_near_the_ends_of_the_double_range_when_described_then_the_spread_neither_overflows_nor_vanishes(double unit)
    {
        var sample = Sample.Describe([1 * unit, 2 * unit, 3 * unit]);

        sample.Mean!.Value.ShouldBe(2 * unit, 1e-12 * unit);
        sample.Std!.Value.ShouldBe(unit, 1e-12 * unit);
        double.IsFinite(sample.CiLow!.Value).ShouldBeTrue();
        sample.CiLow!.Value.ShouldBeLessThan(sample.Mean!.Value);
        sample.Variance.ShouldBeNull("the variance is not a double at this scale, and is never shown as 0 or infinity");
    }

    [Fact]
    public void Given_the_samples_swapped_when_welch_tested_then_t_changes_sign_and_p_stays()
    {
        var forward = Welch.Test(A, B)!.Value;
        var backward = Welch.Test(B, A)!.Value;

        backward.T.ShouldBe(-forward.T, 1e-12);
        backward.PValue.ShouldBe(forward.PValue, 1e-12);
    }

    [Fact]
    public void Given_identical_means_when_welch_tested_then_p_is_one()
    {
        Welch.Test([1.0, 2.0, 3.0], [0.0, 2.0, 4.0])!.Value.PValue.ShouldBe(1, 1e-12);
    }

    [Fact]
    public void Given_fewer_than_two_values_on_a_side_when_welch_tested_then_there_is_no_p_value()
    {
        Welch.Test([1.0], [1.0, 2.0, 3.0]).ShouldBeNull();
        Welch.Test([1.0, 2.0], []).ShouldBeNull();
    }

    [Fact]
    public void Given_two_samples_without_any_spread_when_welch_tested_then_there_is_no_p_value()
    {
        Welch.Test([0.5, 0.5], [0.7, 0.7, 0.7]).ShouldBeNull();
    }

    [Fact]
    public void Given_three_values_when_described_then_the_95_percent_interval_uses_students_t_with_two_degrees_of_freedom()
    {
        var sample = Sample.Describe([1.0, 2.0, 3.0]);

        sample.N.ShouldBe(3);
        sample.Mean.ShouldBe(2);
        sample.Std!.Value.ShouldBe(1, 1e-12);
        // t(0.975, 2) = 4.302653; half-width 4.302653 · 1 / √3.
        sample.CiLow!.Value.ShouldBe(2 - 2.484138, 1e-5);
        sample.CiHigh!.Value.ShouldBe(2 + 2.484138, 1e-5);
        (sample.Min, sample.Max).ShouldBe((1.0, 3.0));
    }

    [Fact]
    public void Given_one_value_when_described_then_it_has_a_mean_but_no_spread_or_interval()
    {
        var sample = Sample.Describe([0.25]);

        sample.Mean.ShouldBe(0.25);
        sample.Std.ShouldBeNull();
        sample.CiLow.ShouldBeNull();
        sample.CiHigh.ShouldBeNull();
    }

    [Fact]
    public void Given_no_values_when_described_then_everything_is_missing_rather_than_zero()
    {
        var sample = Sample.Describe([]);

        sample.N.ShouldBe(0);
        sample.Mean.ShouldBeNull();
        sample.Min.ShouldBeNull();
    }

    [Theory]
    [InlineData("loss", MetricDirection.Min)]
    [InlineData("eval.val_loss", MetricDirection.Min)]
    [InlineData("error_rate", MetricDirection.Min)]
    [InlineData("Perplexity", MetricDirection.Min)]
    [InlineData("ppl", MetricDirection.Min)]
    [InlineData("train_time", MetricDirection.Min)]
    [InlineData("p99_latency_ms", MetricDirection.Min)]
    [InlineData("wall_seconds", MetricDirection.Min)]
    [InlineData("step_duration", MetricDirection.Min)]
    [InlineData("accuracy", MetricDirection.Max)]
    [InlineData("match/accuracy", MetricDirection.Max)]
    [InlineData("reward", MetricDirection.Max)]
    [InlineData("accuracy[task=timeline]", MetricDirection.Max)]
    [InlineData("loss[task=mmlu]", MetricDirection.Min)]
    [InlineData("match/stderr", MetricDirection.Min)]
    [InlineData("err_rate", MetricDirection.Min)]
    [InlineData("rmse", MetricDirection.Min)]
    [InlineData("valLoss", MetricDirection.Min)]
    [InlineData("train_losses", MetricDirection.Min)]
    [InlineData("wer", MetricDirection.Min)]
    [InlineData("timesteps", MetricDirection.Max)]
    [InlineData("nllb_bleu", MetricDirection.Max)]
    [InlineData("interrupted_frac", MetricDirection.Max)]
    public void Given_a_metric_name_when_no_direction_is_given_then_the_default_direction_follows_the_name(string name, MetricDirection expected) =>
        MetricDirections.Default(name).ShouldBe(expected);

    [Theory]
    [InlineData("acc", "acc", null)]
    [InlineData("acc:max", "acc", MetricDirection.Max)]
    [InlineData("loss:MIN", "loss", MetricDirection.Min)]
    [InlineData("a:b", "a:b", null)]
    [InlineData("accuracy[task=x]:min", "accuracy[task=x]", MetricDirection.Min)]
    public void Given_a_metric_option_when_parsed_then_name_and_direction_are_split(string text, string name, MetricDirection? direction) =>
        MetricRequest.Parse(text).ShouldBe(new MetricRequest(name, direction));
}
