using Expt.Reporting.Statistics;

namespace Expt.Tests.Reporting.Statistics;

public sealed class PairedBootstrapTests
{
    // The reference implementation, numpy 1.24 (its own generator, so the two agree within the resampling error):
    //   import numpy as np
    //   def interval(d, seed=0):
    //       d = np.asarray(d, dtype=float)
    //       idx = np.random.default_rng(seed).integers(0, len(d), (10000, len(d)))
    //       return np.percentile(d[idx].mean(axis=1), [2.5, 97.5])   # percentile method, linear interpolation
    //   interval([((i * 37) % 11 - 4) / 10 for i in range(150)])  →  [0.04533333, 0.146]   (mean 0.096)
    //   interval([[1,0,-1,1,0,0,1][i % 7] if i % 5 else 1 for i in range(270)])  →  [0.33703704, 0.5]   (mean 0.4222)
    //   (seeds 0…4 give 0.337–0.341 and 0.500–0.504: the resampling error, well inside 0.005)
    [Fact]
    public void Given_150_differences_when_bootstrapped_then_the_interval_is_the_reference_implementations_within_0_005()
    {
        var differences = Enumerable.Range(0, 150).Select(i => ((i * 37 % 11) - 4) / 10.0).ToList();

        var (low, high) = PairedBootstrap.Interval(differences);

        low.ShouldBe(0.04533333, 0.005);
        high.ShouldBe(0.146, 0.005);
    }

    [Fact]
    public void Given_the_differences_of_270_binary_pairs_when_bootstrapped_then_the_interval_is_the_reference_implementations_within_0_005()
    {
        int[] pattern = [1, 0, -1, 1, 0, 0, 1];
        var differences = Enumerable.Range(0, 270).Select(i => i % 5 != 0 ? pattern[i % 7] : 1.0).ToList();

        var (low, high) = PairedBootstrap.Interval(differences);

        differences.Average().ShouldBe(0.4222222, 1e-6);
        low.ShouldBe(0.33703704, 0.005);
        high.ShouldBe(0.5, 0.005);
    }

    [Fact]
    public void Given_the_same_differences_twice_when_bootstrapped_then_the_interval_is_the_same()
    {
        var differences = Enumerable.Range(0, 40).Select(i => Math.Sin(i) + 0.1).ToList();

        PairedBootstrap.Interval(differences).ShouldBe(PairedBootstrap.Interval(differences.ToArray()));
    }

    [Fact]
    public void Given_one_or_no_difference_when_bootstrapped_then_the_interval_is_that_difference_or_undefined()
    {
        PairedBootstrap.Interval([0.25]).ShouldBe((0.25, 0.25));
        var (low, high) = PairedBootstrap.Interval([]);
        double.IsNaN(low).ShouldBeTrue();
        double.IsNaN(high).ShouldBeTrue();
    }

    [Fact]
    public void Given_sorted_values_when_a_percentile_is_taken_then_it_interpolates_linearly_as_numpy()
    {
        // numpy.percentile([1, 2, 3, 4], [2.5, 97.5]) → [1.075, 3.925]
        PairedBootstrap.Percentile([1, 2, 3, 4], 0.025).ShouldBe(1.075, 1e-12);
        PairedBootstrap.Percentile([1, 2, 3, 4], 0.975).ShouldBe(3.925, 1e-12);
    }
}
