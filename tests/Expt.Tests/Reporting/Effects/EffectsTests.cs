using System.Text.Json.Nodes;
using Expt.Reporting;
using Expt.Reporting.Effects;

namespace Expt.Tests.Reporting.Effects;

/// <summary>
/// Main effects, interactions and control vs best level against known answers. The design: a ∈ {1, 10} × b ∈ {x, y}
/// × seed ∈ {1, 2, 3}, plus a control (a = 0) at the same seeds.
/// </summary>
public sealed class EffectsTests
{
    private static readonly Dictionary<(int A, string B), double[]> Accuracy = new()
    {
        [(1, "x")] = [0.50, 0.52, 0.55],
        [(1, "y")] = [0.60, 0.61, 0.65],
        [(10, "x")] = [0.70, 0.74, 0.72],
        [(10, "y")] = [0.80, 0.79, 0.85],
    };

    private static readonly double[] Control = [0.40, 0.43, 0.41];

    private static EffectObservation Job(string kind, JsonNode? a, string? b, int? seed, double accuracy)
    {
        var ps = new Dictionary<string, JsonNode?> { ["a"] = a, ["lr"] = JsonValue.Create(0.1) };
        if (b is not null) ps["b"] = JsonValue.Create(b);
        if (seed is not null) ps["seed"] = JsonValue.Create(seed.Value);
        return new EffectObservation(kind, ps, new Dictionary<string, double> { ["accuracy"] = accuracy, ["loss"] = 1 - accuracy });
    }

    private static List<EffectObservation> Design(bool seeds = true)
    {
        var jobs = new List<EffectObservation>();
        foreach (var ((a, b), values) in Accuracy)
        {
            for (var s = 0; s < 3; s++) jobs.Add(Job("default", JsonValue.Create(a), b, seeds ? s + 1 : null, values[s]));
        }
        for (var s = 0; s < 3; s++) jobs.Add(Job("control", JsonValue.Create(0), null, seeds ? s + 1 : null, Control[s]));
        return jobs;
    }

    private static StudyEffects Compute(List<EffectObservation> jobs) =>
        EffectsBuilder.Compute(jobs, [("accuracy", MetricDirection.Max), ("loss", MetricDirection.Min)], ["a", "b", "lr", "seed"], "seed");

    [Fact]
    public void Given_two_factors_over_three_seeds_when_effects_then_each_level_mean_and_interval_is_over_the_seed_means()
    {
        // When
        var effects = Compute(Design());

        // Then: the control's a = 0 is no level, lr does not vary, seed is the replicate.
        effects.Factors.ShouldBe(["a", "b"]);
        effects.Replicate.ShouldBe("seed");
        effects.Replicates.ShouldBe(3);
        var a = effects.Metrics[0].Main.Single(f => f.Factor == "a");
        a.Numeric.ShouldBeTrue();
        a.Levels.Select(l => l.Label).ShouldBe(["1", "10"]);
        // /usr/bin/python3: x = per-seed means of the level's jobs, e.g. a=1: [(0.50+0.60)/2, (0.52+0.61)/2, (0.55+0.65)/2];
        // m = x.mean(); scipy.stats.t.interval(0.95, len(x)-1, loc=m, scale=scipy.stats.sem(x))
        Check(a.Levels[0].Stats, 3, 0.5716666666666667, 0.5079286433772581, 0.6354046899560752);
        Check(a.Levels[1].Stats, 3, 0.7666666666666666, 0.7230466419893506, 0.8102866913439826);
        var b = effects.Metrics[0].Main.Single(f => f.Factor == "b");
        b.Numeric.ShouldBeFalse();
        b.Levels.Select(l => l.Label).ShouldBe(["x", "y"]);
        Check(b.Levels[0].Stats, 3, 0.6216666666666667, 0.574642698720311, 0.6686906346130224);
    }

    [Fact]
    public void Given_two_factors_when_effects_then_the_interaction_table_has_the_mean_of_every_level_pair()
    {
        // When
        var effects = Compute(Design());

        // Then
        var table = effects.Metrics[0].Interactions.ShouldHaveSingleItem();
        (table.A, table.B).ShouldBe(("a", "b"));
        table.Cells.Select(c => $"{c.A}/{c.B}").ShouldBe(["1/x", "1/y", "10/x", "10/y"]);
        // As above, over the three seeds of the cell a=10, b=y: [0.80, 0.79, 0.85].
        Check(table.Cells[3].Stats, 3, 0.8133333333333334, 0.7334794782158891, 0.8931871884507776);
    }

    [Fact]
    public void Given_a_control_when_effects_then_each_factor_best_level_is_compared_with_it_paired_over_seeds()
    {
        // When
        var effects = Compute(Design());

        // Then
        var a = effects.Metrics[0].VsControl.Single(c => c.Factor == "a");
        a.BestLevel.ShouldBe("10");
        a.BestMean.ShouldBe(0.7666666666666666, 1e-12);
        a.ControlMean.ShouldBe(0.41333333333333333, 1e-12);
        a.Difference!.Value.Absolute.ShouldBe(0.353333333333333, 1e-12);
        // Per seed: a=10's seed mean − the control's; scipy.stats.t.interval as above over those three differences.
        Check(a.Paired!, 3, 0.35333333333333333, 0.30313571815103524, 0.4035309485156314);
        effects.Metrics[0].VsControl.Single(c => c.Factor == "b").BestLevel.ShouldBe("y");
    }

    [Fact]
    public void Given_a_metric_where_lower_is_better_when_effects_then_the_best_level_is_the_lowest()
    {
        // When
        var loss = Compute(Design()).Metrics[1];

        // Then
        loss.Metric.ShouldBe("loss");
        loss.VsControl.Single(c => c.Factor == "a").BestLevel.ShouldBe("10");
        loss.VsControl.Single(c => c.Factor == "a").Difference!.Value.Absolute.ShouldBe(-0.353333333333333, 1e-12);
    }

    [Fact]
    public void Given_no_seeds_when_effects_then_n_counts_jobs_and_no_interval_is_claimed()
    {
        // When
        var effects = Compute(Design(seeds: false));

        // Then: the six jobs of a=1 are not replicates of each other (they differ in b).
        effects.Replicate.ShouldBeNull();
        var level = effects.Metrics[0].Main.Single(f => f.Factor == "a").Levels[0];
        level.Stats.N.ShouldBe(6);
        level.Stats.Mean!.Value.ShouldBe(0.5716666666666667, 1e-12);
        level.Stats.CiLow.ShouldBeNull();
        level.Stats.CiHigh.ShouldBeNull();
        effects.Metrics[0].VsControl.Single(c => c.Factor == "a").Paired.ShouldBeNull();
    }

    [Fact]
    public void Given_numeric_levels_out_of_order_when_effects_then_levels_ascend_and_text_levels_keep_plan_order()
    {
        // Given
        var jobs = new[] { 0.3, 0.001, 0.03 }.SelectMany(lr => new[] { "zeta", "alpha" }.Select(m =>
            new EffectObservation("default", new Dictionary<string, JsonNode?> { ["lr"] = JsonValue.Create(lr), ["model"] = JsonValue.Create(m) },
                new Dictionary<string, double> { ["accuracy"] = lr }))).ToList();

        // When
        var effects = EffectsBuilder.Compute(jobs, [("accuracy", MetricDirection.Max)], [], "seed");

        // Then
        effects.Metrics[0].Main[0].Levels.Select(l => l.Label).ShouldBe(["0.001", "0.03", "0.3"]);
        effects.Metrics[0].Main[1].Levels.Select(l => l.Label).ShouldBe(["zeta", "alpha"]);
        effects.Metrics[0].VsControl.ShouldBeEmpty();
    }

    private static void Check(Sample s, int n, double mean, double low, double high)
    {
        s.N.ShouldBe(n);
        s.Mean!.Value.ShouldBe(mean, 1e-12);
        s.CiLow!.Value.ShouldBe(low, 1e-9);
        s.CiHigh!.Value.ShouldBe(high, 1e-9);
    }
}
