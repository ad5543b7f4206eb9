using System.Text.Json.Nodes;
using Expt.Design;

namespace Expt.Tests.Design;

public sealed class JobEstimatorTests
{
    private static readonly HashSet<string> Seed = new(StringComparer.Ordinal) { "seed" };

    [Fact]
    public void Given_jobs_with_identical_params_but_the_seed_when_estimated_then_each_figure_is_their_exact_median()
    {
        // Given: four seeds of one point (an even count: the mean of the middle two) and one seed of another
        var history = new[]
        {
            Job("train", Measured(10, cpu: 8, output: 100), ("size", 1), ("seed", 1)),
            Job("train", Measured(100, cpu: 90, output: 400), ("size", 1), ("seed", 2)),
            Job("train", Measured(30, cpu: 25, output: 200), ("size", 1), ("seed", 3)),
            Job("train", Measured(20, cpu: 15, output: 301), ("size", 1), ("seed", 4)),
            Job("train", Measured(7, cpu: 7, output: 7), ("size", 2), ("seed", 1)),
        };
        var estimator = new JobEstimator(history, Seed);

        // When
        var e = estimator.Estimate("train", Config(("size", 1), ("seed", 9)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.SameParams);
        e.N.ShouldBe(4);
        e.WallSeconds.ShouldBe(25);
        e.CpuSeconds.ShouldBe(20);
        e.OutputBytes.ShouldBe(250); // 250.5, rounded to even
        e.Detail.ShouldBe("median of 4 earlier jobs with the same params");
    }

    [Fact]
    public void Given_history_numbers_read_back_as_doubles_when_the_planned_job_has_the_int_then_the_params_are_identical_but_text_3_is_not_3()
    {
        // Given: the catalog keeps every number as a double, so an int param comes back from history as 1.0
        var history = new[] { Job("s", Measured(5), ("x", 1.0), ("y", 3.0)), Job("s", Measured(7), ("x", 1.0), ("y", 3.0)) };
        var estimator = new JobEstimator(history, Seed);

        // When / Then: numbers compare by value, a string never equals a number
        estimator.Estimate("s", Config(("x", 1.0), ("y", 3L))).Basis.ShouldBe(EstimateBasis.SameParams);
        estimator.Estimate("s", Config(("x", 1L), ("y", 3L))).Basis.ShouldBe(EstimateBasis.SameParams);
        estimator.Estimate("s", Config(("x", 1L), ("y", "3"))).Basis.ShouldNotBe(EstimateBasis.SameParams);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Given_wall_linear_in_size_seen_at_1_3_5_when_a_size_between_is_estimated_then_the_fit_is_within_5_percent(int size)
    {
        // Given: wall = 0.3·size + 0.05, three seeds per size
        var history = Linear(size => 0.3 * size + 0.05, [1, 3, 5]);
        var estimator = new JobEstimator(history, Seed);

        // When
        var e = estimator.Estimate("train", Config(("size", size), ("seed", 1)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.Fit);
        e.N.ShouldBe(9);
        e.WallSeconds!.Value.ShouldBe(0.3 * size + 0.05, 0.05 * (0.3 * size + 0.05));
        e.Detail.ShouldStartWith("power law in size: wall ∝ size^0.92, size 1–5, n=9");
    }

    [Fact]
    public void Given_sizes_1_3_5_when_size_8_is_estimated_then_it_is_marked_extrapolated()
    {
        // Given
        var estimator = new JobEstimator(Linear(size => 0.3 * size + 0.05, [1, 3, 5]), Seed);

        // When
        var e = estimator.Estimate("train", Config(("size", 8)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.Extrapolated);
        e.Detail.ShouldContain("extrapolated: size 8 outside the range seen");
        e.WallSeconds!.Value.ShouldBeGreaterThan(1.55);
    }

    [Fact]
    public void Given_two_numeric_params_varying_when_a_new_pair_is_estimated_then_a_power_law_in_both_recovers_the_law()
    {
        // Given: wall = 2 · size · steps^0.5 on a 3 × 2 grid
        var history = (from size in new[] { 1, 2, 4 }
                       from steps in new[] { 10, 100 }
                       select Job("train", Measured(2 * size * Math.Sqrt(steps)), ("size", size), ("steps", steps))).ToList();
        var estimator = new JobEstimator(history, Seed);

        // When
        var e = estimator.Estimate("train", Config(("size", 3), ("steps", 50)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.Fit);
        e.WallSeconds!.Value.ShouldBe(2 * 3 * Math.Sqrt(50), 1e-6);
        e.Detail.ShouldStartWith("power law in size, steps: wall ∝ size^1.00·steps^0.50, size 1–4, steps 10–100, n=6");
    }

    [Fact]
    public void Given_a_second_param_at_a_value_seen_when_estimated_then_only_the_jobs_with_that_value_are_fitted()
    {
        // Given: steps=100 jobs follow wall = size; steps=10 jobs are unrelated noise
        var history = new[]
        {
            Job("s", Measured(1), ("size", 1), ("steps", 100)), Job("s", Measured(2), ("size", 2), ("steps", 100)),
            Job("s", Measured(4), ("size", 4), ("steps", 100)),
            Job("s", Measured(50), ("size", 1), ("steps", 10)), Job("s", Measured(3), ("size", 4), ("steps", 10)),
        };
        var estimator = new JobEstimator(history, Seed);

        // When
        var e = estimator.Estimate("s", Config(("size", 3), ("steps", 100)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.Fit);
        e.N.ShouldBe(3);
        e.WallSeconds!.Value.ShouldBe(3, 1e-9);
        e.Detail.ShouldStartWith("power law in size (jobs with steps=100): wall ∝ size^1.00");
    }

    [Fact]
    public void Given_two_models_when_estimated_then_only_jobs_of_the_same_model_are_fitted_and_an_unseen_model_uses_all()
    {
        // Given: model b is ten times slower than model a
        var history = Linear(size => size, [1, 2, 4], ("model", "a")).Concat(Linear(size => 10 * size, [1, 2, 4], ("model", "b"))).ToList();
        var estimator = new JobEstimator(history, Seed);

        // When
        var a = estimator.Estimate("train", Config(("size", 3), ("model", "a")));
        var b = estimator.Estimate("train", Config(("size", 3), ("model", "b")));
        var c = estimator.Estimate("train", Config(("size", 3), ("model", "c")));

        // Then
        a.WallSeconds!.Value.ShouldBe(3, 1e-9);
        b.WallSeconds!.Value.ShouldBe(30, 1e-9);
        (a.N, b.N).ShouldBe((9, 9));
        c.Basis.ShouldBe(EstimateBasis.Fit);
        c.N.ShouldBe(18);
        c.WallSeconds!.Value.ShouldBeInRange(3, 30);
    }

    [Fact]
    public void Given_a_planned_value_no_job_varied_when_estimated_then_the_stage_median_is_used()
    {
        // Given: every job had lr=0.1; the planned job has lr=0.2 (one point cannot show how lr changes the cost)
        var history = new[] { Job("s", Measured(10), ("lr", 0.1)), Job("s", Measured(30), ("lr", 0.1)), Job("s", Measured(20), ("lr", 0.1)) };

        // When
        var e = new JobEstimator(history, Seed).Estimate("s", Config(("lr", 0.2)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.StageMedian);
        (e.WallSeconds, e.N).ShouldBe((20.0, 3));
        e.Detail.ShouldBe("median of the stage's 3 earlier jobs");
    }

    [Fact]
    public void Given_two_sizes_only_when_a_third_is_estimated_then_no_fit_is_made_from_as_many_points_as_coefficients()
    {
        // Given
        var history = Linear(size => size, [1, 5]);

        // When
        var e = new JobEstimator(history, Seed).Estimate("train", Config(("size", 3)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.StageMedian);
        e.WallSeconds.ShouldBe(3);
    }

    [Fact]
    public void Given_two_params_that_always_move_together_when_estimated_then_no_fit_is_made_from_them()
    {
        // Given: half is always size / 2; their effects cannot be told apart
        var history = new[] { 1, 2, 4, 8 }.Select(s => Job("s", Measured(s), ("size", s), ("half", s / 2.0))).ToList();

        // When
        var e = new JobEstimator(history, Seed).Estimate("s", Config(("size", 3), ("half", 1.5)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.StageMedian);
        double.IsFinite(e.WallSeconds!.Value).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_size_of_zero_in_history_when_estimated_then_a_linear_fit_is_used()
    {
        // Given: output = 1000·size, size 0 writes nothing (no power law through zero)
        var history = new[] { 0, 2, 4 }.Select(s => Job("s", Measured(1 + s, output: 1000 * s), ("size", s))).ToList();

        // When
        var e = new JobEstimator(history, Seed).Estimate("s", Config(("size", 3)));

        // Then
        e.OutputBytes.ShouldBe(3000);
        e.WallSeconds!.Value.ShouldBe(4, 1e-9);
        e.Detail.ShouldStartWith("linear in size: wall ≈ 1·size + 1, size 0–4, n=3");
    }

    [Fact]
    public void Given_history_without_cpu_or_output_when_estimated_then_only_those_figures_are_null()
    {
        // Given: CPU never measured; output recorded only by a later run of another point
        var history = new[]
        {
            Job("s", new JobMeasures(10, null, 0, 50, null), ("size", 1)),
            Job("s", new JobMeasures(12, null, 0, 70, null), ("size", 1)),
            Job("s", new JobMeasures(40, null, 0, 90, 4096), ("size", 9)),
        };

        // When
        var e = new JobEstimator(history, Seed).Estimate("s", Config(("size", 1)));

        // Then
        e.Basis.ShouldBe(EstimateBasis.SameParams);
        e.WallSeconds.ShouldBe(11);
        e.CpuSeconds.ShouldBeNull();
        e.GpuSeconds.ShouldBe(0);
        e.PeakRssMb.ShouldBe(60);
        e.OutputBytes.ShouldBe(4096);
        e.Detail.ShouldBe("median of 2 earlier jobs with the same params; output: the stage's one earlier job");
    }

    [Fact]
    public void Given_no_job_of_the_stage_when_estimated_then_there_is_no_figure()
    {
        var estimator = new JobEstimator([Job("train", Measured(5), ("size", 1))], Seed);

        estimator.Estimate("eval", Config(("size", 1))).ShouldBe(JobEstimate.None);
        new JobEstimator([], Seed).Estimate("train", Config(("size", 1))).ShouldBe(JobEstimate.None);
    }

    [Fact]
    public void Given_a_fit_that_would_go_negative_when_extrapolated_then_the_figure_is_zero_not_negative()
    {
        // Given: output falls with size (linear, a size is 0), so size 100 extrapolates below zero
        var history = new[] { 0, 1, 2 }.Select(s => Job("s", Measured(1, output: 300 - 100 * s), ("size", s))).ToList();

        // When
        var e = new JobEstimator(history, Seed).Estimate("s", Config(("size", 100)));

        // Then
        e.OutputBytes.ShouldBe(0);
        e.Basis.ShouldBe(EstimateBasis.Extrapolated);
    }

    [Fact]
    public void Given_50k_history_jobs_when_100k_planned_jobs_are_estimated_then_it_takes_seconds_not_minutes()
    {
        // Given: 2 models × 500 sizes × 50 seeds; planned: 100,000 jobs at sizes no earlier job had
        var history = (from model in new[] { "a", "b" }
                       from size in Enumerable.Range(1, 500)
                       from seed in Enumerable.Range(0, 50)
                       select Job("train", Measured(size * (model == "a" ? 1 : 2), cpu: size, output: 1000L * size), ("model", model), ("size", size), ("seed", seed), ("lr", 0.1))).ToList();
        var planned = Enumerable.Range(0, 100_000).Select(i => Config(("model", i % 2 == 0 ? "a" : "b"), ("size", 1.0005 + i * 0.004999), ("seed", i), ("lr", 0.1))).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // When
        var estimator = new JobEstimator(history, Seed);
        var estimates = planned.Select(p => estimator.Estimate("train", p)).ToList();

        // Then: a pass over the history per job would take minutes; the bound is generous for a loaded machine
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
        estimates.ShouldAllBe(e => e.Basis == EstimateBasis.Fit || e.Basis == EstimateBasis.Extrapolated);
        estimates[2000].WallSeconds!.Value.ShouldBe(1.0005 + 2000 * 0.004999, 0.01);
    }

    internal static JobMeasures Measured(double wall, double? cpu = null, long? output = null) => new(wall, cpu, null, null, output);

    internal static HistoryJob Job(string stage, JobMeasures measures, params (string Name, object Value)[] values) =>
        new("r1", $"{stage}-{Guid.NewGuid():N}", stage, Config(values).ToDictionary(StringComparer.Ordinal), measures);

    internal static List<KeyValuePair<string, JsonNode?>> Config(params (string Name, object Value)[] values) =>
        [.. values.Select(v => new KeyValuePair<string, JsonNode?>(v.Name, v.Value switch
        {
            int i => JsonValue.Create((long)i),
            long l => JsonValue.Create(l),
            double d => JsonValue.Create(d),
            string s => JsonValue.Create(s),
            _ => throw new ArgumentException("unsupported value"),
        }))];

    private static List<HistoryJob> Linear(Func<int, double> wall, int[] sizes, params (string Name, object Value)[] extra) =>
        [.. from size in sizes
            from seed in new[] { 1, 2, 3 }
            select Job("train", Measured(wall(size)), [("size", size), ("seed", seed), .. extra])];
}
