using Expt.Reporting;
using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Specs;

/// <summary><c>seeds:</c>, <c>metrics:</c> and <c>per_item:</c>: read, checked with located errors, and written to the run's spec.yaml.</summary>
public sealed class SeedsAndMetricsSpecTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Head = "experiment: s\nparams:\n  lr: { type: float, default: 0.1 }\nrun: echo\n";

    [Fact]
    public void Given_seeds_a_metrics_block_and_per_item_when_loaded_then_the_definition_has_them_in_spec_order()
    {
        // Given
        var yaml = Head + """
            seeds: [3, 1, 2]
            metrics:
              accuracy: { goal: max, primary: true }
              loss: min
              n: { role: info }
              seconds: info
            per_item: { id: sample }
            """;

        // When
        var d = SpecText.Definition(_dir, yaml);

        // Then
        d.Seeds.ShouldBe([3L, 1L, 2L]);
        d.Metrics.Select(m => (m.Name, m.Goal, m.Primary, m.Info)).ShouldBe(
        [
            ("accuracy", (MetricGoal?)MetricGoal.Max, true, false), ("loss", MetricGoal.Min, false, false),
            ("n", null, false, true), ("seconds", null, false, true),
        ]);
        (d.Metrics[0].Location.Line, d.Metrics[0].Location.Column).ShouldBe((7, 3));
        d.PerItemId.ShouldBe("sample");
    }

    [Fact]
    public void Given_no_seeds_metrics_or_per_item_when_loaded_then_they_are_empty()
    {
        var d = SpecText.Definition(_dir, Head);

        d.Seeds.ShouldBeEmpty();
        d.Metrics.ShouldBeEmpty();
        d.PerItemId.ShouldBeNull();
    }

    [Theory]
    [InlineData("seeds: 3\n", "seeds", 5, 8, "expected a list of seeds, e.g. [1, 2, 3]; got '3' (for seeds 1 to 3 write [1, 2, 3], or give --seeds 3 on the command line)")]
    [InlineData("seeds: []\n", "seeds", 5, 8, "needs at least one seed")]
    [InlineData("seeds: [1, 2, 1]\n", "seeds[2]", 5, 15, "duplicate seed 1")]
    [InlineData("seeds: [1, two]\n", "seeds[1]", 5, 12, "expected an int; got 'two'")]
    [InlineData("seeds: [1, 2]\nmatrix: { seed: [1, 2] }\n", "matrix.seed", 6, 11, "'seed' is already varied by 'seeds:' (line 5); keep one of the two")]
    [InlineData("metrics:\n  accuracy: { goal: max, primry: true }\n", "metrics.accuracy.primry", 6, 26, "unknown key 'primry' (did you mean 'primary'?)")]
    [InlineData("metrics:\n  accuracy: { goal: maximize }\n", "metrics.accuracy.goal", 6, 21, "'maximize' is not a goal (did you mean 'max'?)")]
    [InlineData("metrics:\n  accuracy: { goal: max, primary: true }\n  f1: { primary: true }\n", "metrics.f1.primary", 7, 3, "'accuracy' (line 6) is the primary metric already")]
    [InlineData("metrics:\n  n: { goal: max, role: info }\n", "metrics.n.goal", 6, 14, "an info metric is shown but never compared, so it has no goal")]
    [InlineData("metrics:\n  n: { role: info, primary: true }\n", "metrics.n.primary", 6, 29, "cannot be the primary metric")]
    [InlineData("metrics:\n  n: { role: infos }\n", "metrics.n.role", 6, 14, "'infos' is not a role (did you mean 'info'?)")]
    [InlineData("metrics:\n  loss: lower\n", "metrics.loss", 6, 9, "'lower' is not a goal or role")]
    [InlineData("metrics: [accuracy]\n", "metrics", 5, 10, "expected a mapping of metric name to its role")]
    [InlineData("per_item: { idd: sample }\n", "per_item.idd", 5, 13, "unknown key 'idd' (did you mean 'id'?)")]
    [InlineData("per_item: sample\n", "per_item", 5, 11, "expected a mapping such as { id: item_id }")]
    [InlineData("per_item: {}\n", "per_item.id", 5, 11, "missing required key 'id'")]
    [InlineData("metric:\n  loss: min\n", "metric", 5, 1, "unknown key 'metric' (did you mean 'metrics'?)")]
    public void Given_a_wrong_seeds_metrics_or_per_item_when_loaded_then_the_error_is_located_at_its_field(string tail, string field, int line, int column, string message)
    {
        // Given / When
        var result = SpecText.Load(_dir, Head + tail);

        // Then
        result.Definition.ShouldBeNull();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe(field);
        (error.Location.Line, error.Location.Column).ShouldBe((line, column), error.ToString());
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Given_seeds_and_a_seed_param_of_another_type_when_loaded_then_the_error_names_the_declaration()
    {
        var result = SpecText.Load(_dir, "experiment: s\nparams:\n  seed: { type: string, default: a }\nseeds: [1, 2]\nrun: echo\n");

        var error = result.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("seeds");
        (error.Location.Line, error.Location.Column).ShouldBe((4, 8));
        error.Message.ShouldBe("gives 'seed' integer values, but params.seed is declared as string (line 3); declare it as int or leave it to Expt");
    }

    [Fact]
    public void Given_seeds_outside_the_bounds_of_a_declared_seed_when_loaded_then_the_seed_is_refused_where_it_is()
    {
        var result = SpecText.Load(_dir, "experiment: s\nparams:\n  seed: { type: int, default: 1, min: 1 }\nseeds: [1, 0]\nrun: echo\n");

        var error = result.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("seeds[1]");
        (error.Location.Line, error.Location.Column).ShouldBe((4, 12));
    }

    [Fact]
    public void Given_seeds_and_an_include_that_fixes_its_seed_when_loaded_then_it_loads_with_a_warning_at_the_include()
    {
        var result = SpecText.Load(_dir, Head + "seeds: [1, 2]\ninclude:\n  - { kind: control, name: majority, seed: 7 }\n");

        result.Errors.ShouldBeEmpty();
        var warning = result.Warnings.ShouldHaveSingleItem();
        warning.Field.ShouldBe("include[0].seed");
        (warning.Location.Line, warning.Location.Column).ShouldBe((7, 5));
        warning.Message.ShouldBe("fixes seed 7: this variant runs once, not once per seed of 'seeds:' (line 5); drop its 'seed' to cross it with the seeds too");
    }

    [Fact]
    public void Given_seeds_metrics_and_per_item_when_written_to_spec_yaml_then_the_loader_and_the_report_read_them_back()
    {
        // Given
        var d = SpecText.Definition(_dir, Head + "seeds: [1, 2]\nmetrics:\n  acc: { goal: max, primary: true }\n  n: info\n  loss: { }\nper_item: { id: sample }\n");

        // When
        var yaml = SpecWriter.ToYaml(d);
        var run = _dir.Combine("run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunSpecText.FileName), yaml);
        var reloaded = SpecLoader.LoadText(yaml, _dir.Combine("spec.yaml"));
        var text = RunSpecText.Read(run);

        // Then
        reloaded.Errors.ShouldBeEmpty(string.Join("\n", reloaded.Errors));
        reloaded.Definition!.Seeds.ShouldBe([1L, 2L]);
        reloaded.Definition.Metrics.Select(m => (m.Name, m.Goal, m.Primary, m.Info)).ShouldBe(d.Metrics.Select(m => (m.Name, m.Goal, m.Primary, m.Info)));
        reloaded.Definition.PerItemId.ShouldBe("sample");
        text.Metrics.ShouldBe([new MetricRole("acc", MetricDirection.Max, true, false), new MetricRole("n", null, false, true), new MetricRole("loss", null, false, false)]);
        text.PerItemId.ShouldBe("sample");
    }
}
