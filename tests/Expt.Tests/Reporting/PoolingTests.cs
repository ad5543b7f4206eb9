using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting;
using Expt.Results;
using Expt.Testing;

namespace Expt.Tests.Reporting;

/// <summary>Reports of several runs, replicates, honest grouping, ties, control labels and controls on shared axes.</summary>
public sealed class PoolingTests : IDisposable
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    private readonly TempDirectory _dir = new("expt-pool");

    public void Dispose() => _dir.Dispose();

    private sealed record FakeJob(JobRecord Record, Dictionary<string, MetricValue> Metrics);

    private static FakeJob Job(string variant, string paramsJson, string metricsJson, string kind = "default", string stage = "main", string? cell = null)
    {
        var cellNode = cell is null ? null : JsonNode.Parse(cell)!.AsObject();
        var id = string.Join("/", new[] { variant, stage == "main" ? null : stage, cellNode is null ? null : string.Join("-", cellNode.Select(kv => $"{kv.Key}-{kv.Value}")) }.OfType<string>());
        var values = JsonNode.Parse(paramsJson)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone());
        foreach (var (k, v) in cellNode ?? []) values[k] = v?.DeepClone();
        var status = new JobStatus { Id = id, Variant = variant, Kind = kind, Stage = stage, State = JobState.Succeeded, Cell = cellNode };
        var entry = new ManifestJob { Id = id, Variant = variant, Kind = kind, Stage = stage, Dir = id, State = JobState.Succeeded };
        var metrics = JsonNode.Parse(metricsJson)!.AsObject().ToDictionary(kv => kv.Key, kv => MetricValue.FromNumber(kv.Value!.GetValue<double>()));
        return new FakeJob(new JobRecord(entry, status, values, "/nonexistent/run/" + id), metrics);
    }

    private static (RunRecord, RunReport) Run(string id, IReadOnlyList<FakeJob> jobs, string experiment = "toy", string directory = "/nonexistent/run", GitInfo? git = null)
    {
        var run = new RunRecord(directory, new RunManifest { Experiment = experiment, RunId = id, Git = git ?? new GitInfo(Commit, false, "main", null), Jobs = jobs.Select(j => j.Record.Entry).ToList() },
            jobs.Select(j => j.Record).ToList(), null);
        var report = RunReport.From(run);
        return (run, report with { Jobs = report.Jobs.Select((j, i) => j with { Metrics = jobs[i].Metrics }).ToList() });
    }

    private static StudyReport Report(IReadOnlyList<(RunRecord, RunReport)> runs, StudyOptions? options = null) => StudyReportBuilder.Build(runs, options ?? new StudyOptions());

    [Fact]
    public void Given_by_C_over_two_solvers_and_three_seeds_when_reported_then_the_solvers_are_averaged_per_seed_and_the_interval_is_over_seeds()
    {
        // The two solvers share each seed's split, so their accuracies move together: they are one replicate, not two.
        double[] lbfgs = [0.800, 0.820, 0.810], saga = [0.802, 0.823, 0.809];
        var jobs = new List<FakeJob>();
        for (var s = 1; s <= 3; s++)
        {
            jobs.Add(Job($"C10_lbfgs_s{s}", $$"""{"C": 10, "solver": "lbfgs", "seed": {{s}}}""", $$"""{"accuracy": {{lbfgs[s - 1]}}}"""));
            jobs.Add(Job($"C10_saga_s{s}", $$"""{"C": 10, "solver": "saga", "seed": {{s}}}""", $$"""{"accuracy": {{saga[s - 1]}}}"""));
        }

        var report = Report([Run("r", jobs)], new StudyOptions { By = ["C"] });

        report.Pooled.ShouldBe(["solver"]);
        report.Replicates.ShouldBe("seed");
        var group = report.Metrics.Single().Groups.Single();
        group.Stats.N.ShouldBe(3);
        // scipy: a=np.array([0.800,0.820,0.810]); b=np.array([0.802,0.823,0.809]); x=(a+b)/2
        //   st.t.ppf(0.975,2)*x.std(ddof=1)/np.sqrt(3) → 0.025585814491298313 (the six rows as independent: 0.009747142559335708)
        (group.Stats.CiHigh!.Value - group.Stats.Mean!.Value).ShouldBe(0.025585814491298313, 1e-9);
        group.Stats.Mean!.Value.ShouldBe(0.8106666666666668, 1e-12);
    }

    [Fact]
    public void Given_means_that_differ_in_their_last_bit_when_reported_then_they_are_co_winners_not_a_win_by_1e_16()
    {
        var jobs = new List<FakeJob>
        {
            Job("a", """{"g": "a"}""", $$"""{"acc": {{(0.1 + 0.2).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}"""),
            Job("b", """{"g": "b"}""", """{"acc": 0.3}"""),
            Job("c", """{"g": "c"}""", """{"acc": 0.2}"""),
        };

        var acc = Report([Run("r", jobs)]).Metrics.Single();

        (0.1 + 0.2).ShouldNotBe(0.3);
        acc.Winners.ShouldBe(["a", "b"]);
        acc.Winner!.RunnerUp.ShouldBe("c");
    }

    [Fact]
    public void Given_two_runs_that_differ_only_by_seed_when_pooled_then_each_group_has_an_interval_over_the_runs_seeds()
    {
        var a = Run("r1", [Job("lr0.1", """{"lr": 0.1, "seed": 1}""", """{"acc": 0.60}"""), Job("lr0.3", """{"lr": 0.3, "seed": 1}""", """{"acc": 0.80}""")]);
        var b = Run("r2", [Job("lr0.1", """{"lr": 0.1, "seed": 2}""", """{"acc": 0.62}"""), Job("lr0.3", """{"lr": 0.3, "seed": 2}""", """{"acc": 0.78}""")]);

        var report = Report([a, b]);

        report.RunId.ShouldBe("r1+r2");
        report.Runs.Select(r => r.RunId).ShouldBe(["r1", "r2"]);
        report.Over.ShouldBe("seed");
        report.Replicates.ShouldBe("run × seed");
        report.Groups.Select(g => (g.Name, g.Variants.Count)).ShouldBe([("lr0.1", 1), ("lr0.3", 1)]);
        var low = report.Metrics.Single().Groups[0];
        low.Values.ShouldBe([0.60, 0.62]);
        low.Stats.CiLow.ShouldNotBeNull();
        report.Nondeterministic.ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_same_config_and_commit_with_different_results_in_two_runs_when_pooled_then_it_is_flagged_nondeterministic()
    {
        var a = Run("r1", [Job("lr0.1", """{"lr": 0.1, "seed": 1}""", """{"acc": 0.60, "loss": 0.4}""")]);
        var b = Run("r2", [Job("lr0.1", """{"lr": 0.1, "seed": 1}""", """{"acc": 0.61, "loss": 0.4}""")]);

        var report = Report([a, b]);

        var found = report.Nondeterministic.ShouldHaveSingleItem();
        found.ShouldBe(found with { Config = "lr0.1", Metric = "acc" });
        found.Runs.ShouldBe(["r1", "r2"]);
        found.Values.ShouldBe([0.60, 0.61]);
        report.Remarks.ShouldContain(r => r.StartsWith("nondeterministic: 1 result(s) of identical configs", StringComparison.Ordinal) && r.Contains("lr0.1 acc = 0.6 / 0.61 in r1 / r2"));
        // Different results are replicates of the nondeterminism: both count; the equal loss counts once.
        report.Metrics.Single(m => m.Name == "acc").Groups.Single().Stats.N.ShouldBe(2);
        report.Metrics.Single(m => m.Name == "loss").Groups.Single().Stats.N.ShouldBe(1);
    }

    [Fact]
    public void Given_the_same_config_with_equal_results_in_two_runs_when_pooled_then_it_counts_once_and_is_not_flagged()
    {
        var a = Run("r1", [Job("lr0.1", """{"lr": 0.1, "seed": 1}""", """{"acc": 0.60}""")]);
        var b = Run("r2", [Job("lr0.1", """{"lr": 0.1, "seed": 1}""", """{"acc": 0.60}""")]);
        var dirty = Run("r3", [Job("lr0.1", """{"lr": 0.1, "seed": 1}""", """{"acc": 0.65}""")], git: new GitInfo(Commit, true, "main", null));

        var report = Report([a, b]);
        var withDirty = Report([a, dirty]);

        report.Nondeterministic.ShouldBeEmpty();
        report.Metrics.Single().Groups.Single().Stats.N.ShouldBe(1);
        report.Remarks.ShouldContain("1 value(s) repeat an identical config of an earlier pooled run with the same result: counted once, not as replicates");
        // Uncommitted changes may differ between runs: not the same code, so no verdict.
        withDirty.Nondeterministic.ShouldBeEmpty();
        withDirty.Metrics.Single().Groups.Single().Stats.N.ShouldBe(2);
    }

    [Fact]
    public void Given_runs_of_two_experiments_when_pooled_then_the_error_names_them()
    {
        var a = Run("r1", [Job("x", """{"lr": 0.1}""", """{"acc": 0.6}""")], experiment: "alpha");
        var b = Run("r2", [Job("x", """{"lr": 0.1}""", """{"acc": 0.6}""")], experiment: "beta");

        Should.Throw<StudyReportException>(() => Report([a, b])).Message.ShouldBe("runs of 2 experiments (alpha, beta): a report pools the runs of one experiment");
    }

    [Fact]
    public void Given_a_control_that_declares_none_of_the_factors_when_reported_then_it_shows_its_name_and_only_the_params_it_uses()
    {
        _dir.File("run/spec.yaml", """
            experiment: toy
            params:
              C: { type: float, default: 1 }
              solver: { type: str, default: lbfgs }
              model: { type: str, default: logreg }
            matrix:
              C: [1, 10]
              solver: [lbfgs, saga]
              seed: [1, 2]
            include:
              - { kind: control, name: majority_s1, model: majority, seed: 1 }
              - { kind: control, name: majority_s2, model: majority, seed: 2 }
            run: python3 train.py
            """);
        var jobs = new List<FakeJob>();
        foreach (var c in new[] { 1, 10 })
        {
            foreach (var solver in new[] { "lbfgs", "saga" })
            {
                for (var s = 1; s <= 2; s++) jobs.Add(Job($"C{c}_{solver}_s{s}", $$"""{"C": {{c}}, "solver": "{{solver}}", "model": "logreg", "seed": {{s}}}""", $$"""{"acc": {{0.8 + c * 0.001 + s * 0.01}}}"""));
            }
        }
        for (var s = 1; s <= 2; s++) jobs.Add(Job($"majority_s{s}", $$"""{"C": 1, "solver": "lbfgs", "model": "majority", "seed": {{s}}}""", """{"acc": 0.5}""", kind: "control"));

        var report = Report([Run("r", jobs, directory: _dir.Combine("run"))]);

        report.Baseline.ShouldBe("model=majority");
        var control = report.Groups.Single(g => g.Kind == "control");
        control.Params.Keys.ShouldBe(["model"]);
        // model tells the treatments apart from the control only, not from each other: their labels leave it out.
        report.Groups.First().Name.ShouldBe("C=1, solver=lbfgs");
        report.Groups.First().Params.Keys.ShouldContain("model");
    }

    [Fact]
    public void Given_one_unnamed_control_include_that_became_a_variant_per_seed_when_reported_then_every_one_hides_the_factors()
    {
        _dir.File("run2/spec.yaml", """
            experiment: toy
            params:
              C: { type: float, default: 1 }
              model: { type: str, default: logreg }
            matrix:
              C: [1, 10]
            include:
              - { kind: control, model: majority }
            run: python3 train.py
            """);
        var jobs = new List<FakeJob>();
        for (var s = 1; s <= 2; s++)
        {
            foreach (var c in new[] { 1, 10 }) jobs.Add(Job($"C{c}_s{s}", $$"""{"C": {{c}}, "model": "logreg", "seed": {{s}}}""", $$"""{"acc": {{0.8 + s * 0.01}}}"""));
            jobs.Add(Job($"control_s{s}", $$"""{"C": 1, "model": "majority", "seed": {{s}}}""", """{"acc": 0.5}""", kind: "control"));
        }

        var report = Report([Run("r", jobs, directory: _dir.Combine("run2"))]);

        report.Baseline.ShouldBe("model=majority");
        report.Groups.Single(g => g.Kind == "control").Params.Keys.ShouldBe(["model"]);
    }

    [Fact]
    public void Given_a_named_control_include_with_a_list_and_a_map_value_run_per_seed_when_reported_then_it_hides_the_factor_it_leaves_out()
    {
        // The quickstart's control: its include declares a list (`tags`), and per seed its variants are named
        // control_mean_seed-N, so it is matched by its declared values, the list and the map included; the map's
        // values are strings in config.json (map<string,string>), as the spec's rules coerce them.
        _dir.File("run3/spec.yaml", """
            experiment: toy
            params:
              model: { type: enum, values: [poly, poly-ridge], default: poly }
              rank: { type: int, default: 1 }
              tags: { type: list<string>, default: [] }
              opts: { type: "map<string,string>", default: {} }
            matrix:
              model: [poly, poly-ridge]
              rank: [1, 2]
            include:
              - { kind: control, name: control_mean, rank: 0, tags: [baseline, "no fit"], opts: { depth: 2, fit: false } }
            seeds: [1, 2]
            run: python3 train.py
            """);
        var jobs = new List<FakeJob>();
        for (var s = 1; s <= 2; s++)
        {
            foreach (var (model, rank) in new[] { ("poly", 1), ("poly", 2), ("poly-ridge", 1), ("poly-ridge", 2) })
            {
                jobs.Add(Job($"{model}_r{rank}_seed-{s}", $$"""{"model": "{{model}}", "rank": {{rank}}, "tags": [], "opts": {}, "seed": {{s}}}""", $$"""{"loss": {{0.1 + rank * 0.01 + s * 0.001}}}"""));
            }
            jobs.Add(Job($"control_mean_seed-{s}", $$"""{"model": "poly", "rank": 0, "tags": ["baseline", "no fit"], "opts": {"depth": "2", "fit": "false"}, "seed": {{s}}}""", """{"loss": 0.2}""", kind: "control"));
        }

        var report = Report([Run("r", jobs, directory: _dir.Combine("run3"))]);

        report.Baseline.ShouldBe("""rank=0, tags=["baseline","no fit"], opts={"depth":"2","fit":"false"}""");
        report.Groups.Single(g => g.Kind == "control").Params.Keys.ShouldBe(["rank", "tags", "opts"], ignoreOrder: true);
        // tags and opts, set by the control only, are in the treatments' params but not in their labels.
        report.Groups.First().Name.ShouldBe("model=poly, rank=1");
        report.Groups.First().Params.Keys.ShouldContain("tags");
    }

    [Fact]
    public void Given_a_control_without_the_epoch_axis_when_reported_then_each_treatment_cell_is_compared_with_the_control_on_the_shared_task()
    {
        // The pipeline example's shape: treatments eval per epoch × task, the control per task only.
        var jobs = new List<FakeJob>();
        foreach (var rank in new[] { 2, 8 })
        {
            foreach (var epoch in new[] { 1, 2 })
            {
                foreach (var task in new[] { "arith", "parity" })
                {
                    jobs.Add(Job($"r{rank}", $$"""{"rank": {{rank}}}""", $$"""{"accuracy": {{0.6 + rank * 0.01 + epoch * 0.05 + (task == "arith" ? 0.1 : 0)}}}""", stage: "eval", cell: $$"""{"epoch": {{epoch}}, "task": "{{task}}"}"""));
                }
            }
        }
        foreach (var task in new[] { "arith", "parity" })
        {
            jobs.Add(Job("base", """{"rank": 0}""", $$"""{"accuracy": {{(task == "arith" ? 0.55 : 0.5)}}}""", kind: "control", stage: "eval", cell: $$"""{"task": "{{task}}"}"""));
        }

        var report = Report([Run("r", jobs)]);

        report.Baseline.ShouldBe("base");
        report.Metrics.Select(m => m.Name).ShouldBe(["accuracy[epoch=1,task=arith]", "accuracy[epoch=1,task=parity]", "accuracy[epoch=2,task=arith]", "accuracy[epoch=2,task=parity]"]);
        var cell = report.Metrics.Single(m => m.Name == "accuracy[epoch=2,task=parity]");
        cell.BaselineMetric.ShouldBe("accuracy[task=parity]");
        var r8 = cell.Groups.Single(g => g.Group == "r8").VsBaseline!;
        r8.Difference!.Value.Absolute.ShouldBe(0.6 + 0.08 + 0.1 - 0.5, 1e-9);
        cell.Groups.Single(g => g.Group == "base").Stats.Mean.ShouldBe(0.5);
    }
}
