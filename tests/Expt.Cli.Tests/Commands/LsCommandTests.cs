using System.Text.Json.Nodes;
using Expt.Catalog;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>One real run made by the runner: a 2×2 sweep writing metrics.json, and a job that leaves an Inspect log.</summary>
public sealed class LsRunFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("expt-ls");

    public string Results => _dir.Combine("results");

    public string Spec { get; private set; } = "";

    public string RunId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _dir.File("lab/entry.py", """
            import json, os, shutil
            cfg = json.load(open(os.environ["EXPT_CONFIG"]))
            out = os.environ["EXPT_OUTPUT_DIR"]
            if cfg["eval_log"]:
                os.makedirs(os.path.join(out, "logs"))
                shutil.copy(cfg["eval_log"], os.path.join(out, "logs"))
            else:
                accuracy = 0.5 + cfg["lr"] * 100 + cfg["rank"] / 100
                json.dump({"accuracy": accuracy, "loss": 1 - accuracy}, open(os.path.join(out, "metrics.json"), "w"))
            """);
        var log = Path.Combine(AppContext.BaseDirectory, "Fixtures", "log_read_sample.eval");
        Spec = _dir.File("lab/experiment.yaml", $$"""
            experiment: lsweep
            question: Does the rank matter?
            params:
              lr: { type: float, default: 1.0e-4 }
              rank: { type: int, default: 4 }
              eval_log: { type: string, default: "" }
            matrix:
              lr: [1.0e-4, 1.0e-3]
              rank: [4, 16]
            include:
              - { kind: eval-only, name: inspect, eval_log: "{{log}}" }
            name: "lr{lr}_r{rank}"
            run: python3 entry.py
            args: none
            """);
        var result = await CliHarness.RunAsync("run", Spec, "--results", Results);
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        RunId = Path.GetFileName(Directory.GetDirectories(Path.Combine(Results, "lsweep")).Single());
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class LsCommandTests(LsRunFixture run) : IClassFixture<LsRunFixture>
{
    [Fact]
    public async Task Given_a_finished_run_when_ls_then_one_row_shows_the_experiment_run_commit_created_and_state_counts()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var lines = result.Out.Split('\n');
        lines[0].ShouldBe("EXPERIMENT  RUN                    COMMIT  DIRTY  CREATED           JOBS         DURATION");
        lines[2].ShouldStartWith($"lsweep      {run.RunId}  nogit");
        lines[2].ShouldContain("5 succeeded");
        result.Out.ShouldContain("1 run(s)");
    }

    [Fact]
    public async Task Given_verbose_when_ls_then_the_question_host_and_executor_are_shown()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "lsweep", "-v", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldContain("QUESTION");
        result.Out.ShouldContain("Does the rank matter?");
        result.Out.ShouldContain("local");
    }

    [Fact]
    public async Task Given_jobs_when_ls_jobs_then_each_job_shows_its_varying_params_and_its_metrics_including_the_inspect_log()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var header = result.Out.Split('\n')[0];
        header.ShouldStartWith("RUN                    JOB           STATE      DURATION");
        header.ShouldContain("rank");
        header.ShouldContain("accuracy");
        header.ShouldContain("match/accuracy");
        var inspect = result.Out.Split('\n').Single(l => l.Contains(" inspect ", StringComparison.Ordinal));
        inspect.ShouldContain("succeeded");
        inspect.TrimEnd().ShouldMatch(@"\s1\s+0$");
        result.Out.Split('\n').Single(l => l.Contains("lr0.001_r16", StringComparison.Ordinal)).ShouldContain("0.76");
        result.Out.ShouldContain("5 job(s)");
    }

    [Fact]
    public async Task Given_a_where_sort_and_limit_when_ls_jobs_then_only_matching_jobs_are_listed_in_that_order()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--where", "lr < 5e-3 and (accuracy >= 0.6 or rank = 4) and state = succeeded", "--sort", "-accuracy", "--limit", "3", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var jobs = result.Out.Split('\n').Skip(2).Where(l => l.StartsWith(run.RunId, StringComparison.Ordinal)).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1]).ToList();
        jobs.ShouldBe(["lr0.001_r16", "lr0.0001_r16", "lr0.001_r4"]);
    }

    [Fact]
    public async Task Given_a_where_on_an_inspect_metric_when_ls_jobs_then_the_job_with_the_log_is_found()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--where", "match/accuracy = 1", "--json", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var rows = JsonNode.Parse(result.Out)!.AsArray();
        rows.Count.ShouldBe(1);
        rows[0]!["job"]!.GetValue<string>().ShouldBe("inspect");
        rows[0]!["kind"]!.GetValue<string>().ShouldBe("eval-only");
        rows[0]!["metrics"]!["match/accuracy"]!.GetValue<double>().ShouldBe(1.0);
    }

    [Fact]
    public async Task Given_json_when_ls_jobs_then_rows_carry_typed_params_and_metrics()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--json", "--where", "job = lr0.001_r16", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var row = JsonNode.Parse(result.Out)!.AsArray().Single()!;
        row["experiment"]!.GetValue<string>().ShouldBe("lsweep");
        row["run"]!.GetValue<string>().ShouldBe(run.RunId);
        row["state"]!.GetValue<string>().ShouldBe("succeeded");
        row["params"]!["lr"]!.GetValue<double>().ShouldBe(0.001);
        row["params"]!["rank"]!.GetValue<double>().ShouldBe(16);
        row["metrics"]!["accuracy"]!.GetValue<double>().ShouldBe(0.76, 1e-9);
        Directory.Exists(row["directory"]!.GetValue<string>()).ShouldBeTrue();
    }

    [Fact]
    public async Task Given_json_when_ls_then_runs_carry_their_state_counts()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--json", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var row = JsonNode.Parse(result.Out)!.AsArray().Single()!;
        row["run"]!.GetValue<string>().ShouldBe(run.RunId);
        row["states"]!["succeeded"]!.GetValue<int>().ShouldBe(5);
        row["archived"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_malformed_where_when_ls_then_exit_2_with_the_column_and_what_was_expected()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--where", "lr < 1e-3 and", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("error: --where: column 14: expected a name (a field, param or metric), found the end of the expression");
        result.Error.ShouldContain("  lr < 1e-3 and\n               ^");
        result.Out.ShouldBeEmpty();
    }

    /// <summary>Odd --where inputs: each is answered (exit 0) or refused (exit 2), never an unhandled exception (exit 1).</summary>
    public static TheoryData<string> OddWheres => new()
    {
        "accuracy = nan", "accuracy = NaN", "accuracy != nan", "accuracy < inf", "accuracy > -infinity", "accuracy = Infinity",
        "accuracy < 1e999", "accuracy > -1e999", "accuracy = 1e-999", "lr = 0x10", "lr = 1_000", "lr = .5", "lr = 5.", "lr = +5",
        "attempts > nan", "attempts > infinity", "attempts > 1e999", "exit_code = -", "dirty = nan", "archived = 2",
        "duration > nan", "duration > infinity", "duration > 1e999", "duration > 99999999999999d", "duration > 99999:99999:99999",
        "duration > 2147483648:0:0", "duration > -5", "duration > 1h-5m", "created > ''", "commit = ''", "commit != ''",
        "state = ''", "state = nan", "job = '\u0000'", "job = 'a\\", "job = \"", "job = ''", "rank = 日本", "日本 = 1",
        "", " ", "(", ")", "()", "not", "not not", "x", "=", "= =", "< 1", "rank", "rank =", "rank = = 1", "rank !", "rank ! 1",
        "rank = 1 and", "rank = 1 or or rank = 2", "rank = 1 rank = 2", "(rank = 1", "rank = 1)", "'rank' = 1", "rank = (1)",
        "param. = 1", "metric. = 1", "metric.accuracy = nan", "param.rank > inf", "-", "--", "- = 1", ". = 1", "%%% = %%%",
        "rank = 1 " + string.Concat(Enumerable.Repeat("and rank = 1 ", 300)),
        string.Concat(Enumerable.Repeat("not ", 2000)) + "rank = 1",
        new string('(', 5000) + "rank = 1" + new string(')', 5000),
        string.Join(" or ", Enumerable.Range(0, 200).Select(i => $"(rank = {i} and not lr > {i})")),
    };

    [Theory]
    [MemberData(nameof(OddWheres))]
    public async Task Given_an_odd_where_when_ls_then_it_answers_or_refuses_but_never_crashes(string where)
    {
        // When
        var jobs = await CliHarness.RunAsync("ls", "--jobs", "--where", where, "--results", run.Results);
        var runs = await CliHarness.RunAsync("ls", "--where", where, "--sort", "-created", "--results", run.Results);

        // Then
        foreach (var result in new[] { jobs, runs })
        {
            result.Error.ShouldNotContain("Unhandled");
            result.Error.ShouldNotContain("   at ");
            result.ExitCode.ShouldBeOneOf([0, 2], result.Error);
        }
    }

    [Fact]
    public async Task Given_random_where_expressions_when_ls_then_none_crashes()
    {
        // Given: a fixed seed, so a failure can be replayed
        var random = new Random(20260301);
        string[] pieces = ["rank", "lr", "accuracy", "state", "duration", "created", "dirty", "attempts", "metric.loss", "param.rank", "nan",
            "inf", "-infinity", "1e999", "1e-3", "-0", "5m", "1h30m", "succeeded", "'x'", "\"y\"", "'", "\"", "(", ")", "and", "or", "not",
            "=", "==", "!=", "<", "<=", ">", ">=", "!", "日本", "\u0000", "\t", "-", ".", "%", "9999999999999999999999"];

        for (var i = 0; i < 300; i++)
        {
            var where = string.Join(random.Next(3) == 0 ? "" : " ", Enumerable.Range(0, random.Next(1, 9)).Select(_ => pieces[random.Next(pieces.Length)]));

            // When
            var result = await CliHarness.RunAsync("ls", "--jobs", "--where", where, "--results", run.Results);

            // Then
            result.ExitCode.ShouldBeOneOf([0, 2], $"--where \"{where}\": {result.Error}");
        }
    }

    [Fact]
    public async Task Given_a_where_on_nan_when_ls_then_it_compares_as_the_word_and_exits_0()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--where", "accuracy = nan", "--json", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        JsonNode.Parse(result.Out)!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_misspelt_name_when_ls_then_exit_2_with_a_suggestion()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--where", "acuracy > 0.5", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("unknown name 'acuracy' (did you mean 'accuracy'?)");
    }

    [Fact]
    public async Task Given_an_unknown_sort_key_when_ls_then_exit_2_with_a_suggestion()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--jobs", "--sort", "-acuracy", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("error: --sort: unknown name 'acuracy' (did you mean 'accuracy'?)");
    }

    [Fact]
    public async Task Given_a_metric_as_sort_key_without_jobs_when_ls_then_exit_2_naming_the_run_sort_keys()
    {
        // When
        var result = await CliHarness.RunAsync("ls", "--sort", "-accuracy", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldStartWith("error: --sort: 'accuracy': runs sort by experiment, run, commit");
        result.Error.ShouldContain("(add --jobs)");
    }

    [Fact]
    public async Task Given_a_negative_limit_when_ls_then_exit_2()
    {
        var result = await CliHarness.RunAsync("ls", "--limit", "-1", "--results", run.Results);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--limit -1: expected 0 or more");
    }

    [Fact]
    public async Task Given_runs_when_ls_filters_on_a_job_value_then_runs_with_a_matching_job_are_listed()
    {
        // When
        var some = await CliHarness.RunAsync("ls", "--where", "accuracy > 0.7", "--json", "--results", run.Results);
        var none = await CliHarness.RunAsync("ls", "--where", "accuracy > 0.9", "--json", "--results", run.Results);

        // Then
        JsonNode.Parse(some.Out)!.AsArray().Count.ShouldBe(1);
        JsonNode.Parse(none.Out)!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_results_root_when_reindex_then_it_says_how_many_runs_and_jobs_and_how_long()
    {
        // When
        var result = await CliHarness.RunAsync("reindex", "--results", run.Results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldMatch(@"^Indexed 1 run\(s\), 5 job\(s\) in \d+\.\d\ds into .*catalog\.db\n$");
    }

    [Fact]
    public async Task Given_no_results_root_when_ls_then_it_says_so_and_creates_nothing()
    {
        // Given
        var missing = Path.Combine(run.Results, "..", "nothing-here");

        // When
        var result = await CliHarness.RunAsync("ls", "--results", missing);

        // Then
        result.ExitCode.ShouldBe(0);
        result.Error.ShouldContain("no runs under");
        Directory.Exists(missing).ShouldBeFalse();
    }
}

/// <summary>The runner keeps an existing catalog current, so a listing after a run reads no file.</summary>
public sealed class CatalogRunnerTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-ls-runner");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_an_existing_catalog_when_a_run_ends_then_the_catalog_already_holds_its_jobs_and_metrics()
    {
        // Given
        _dir.File("lab/score.py", "import json, os\ncfg = json.load(open(os.environ['EXPT_CONFIG']))\njson.dump({'score': cfg['x'] * 10}, open(os.path.join(os.environ['EXPT_OUTPUT_DIR'], 'metrics.json'), 'w'))\n");
        var spec = _dir.File("lab/experiment.yaml", """
            experiment: hook
            params:
              x: { type: int, default: 1 }
            matrix:
              x: [1, 2, 3]
            name: "x{x}"
            run: python3 score.py
            args: none
            """);
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results)).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("ls", "--results", results)).ExitCode.ShouldBe(0);

        // When
        var second = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "second");

        // Then
        second.ExitCode.ShouldBe(0, second.Error);
        var (refresh, scores) = CatalogStore.Use(results, (store, r) => (r, CatalogQuery.Jobs(store, new CatalogFilter(Where: "run = second", Sort: "score"))));
        refresh.Read.ShouldBe(0);
        refresh.Rebuilt.ShouldBeFalse();
        scores.Select(j => j.Metrics["score"].Display).ShouldBe(["10", "20", "30"]);
        scores.ShouldAllBe(j => j.State == "succeeded");
    }

    private async Task<string> OneRunAsync(string results)
    {
        var spec = _dir.File("lab/experiment.yaml", """
            experiment: tiny
            params: { n: { type: int, default: 1 } }
            matrix: { n: [1, 2] }
            name: "n{n}"
            run: "true"
            args: none
            """);
        (await CliHarness.RunAsync("run", spec, "--results", results)).ExitCode.ShouldBe(0);
        return spec;
    }

    [Fact]
    public async Task Given_a_fresh_results_root_when_a_run_ends_then_no_catalog_is_created_until_ls()
    {
        // Given
        var results = _dir.Combine("results");

        // When
        await OneRunAsync(results);

        // Then
        Directory.Exists(Path.Combine(results, ".expt")).ShouldBeFalse();
        (await CliHarness.RunAsync("ls", "--results", results)).ExitCode.ShouldBe(0);
        File.Exists(Path.Combine(results, ".expt", "catalog.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task Given_dot_expt_is_a_regular_file_when_reindex_then_exit_1_saying_the_catalog_could_not_be_written_while_ls_still_answers()
    {
        // Given
        var results = _dir.Combine("results");
        await OneRunAsync(results);
        File.WriteAllText(Path.Combine(results, ".expt"), "not a folder");

        // When
        var reindex = await CliHarness.RunAsync("reindex", "--results", results);
        var ls = await CliHarness.RunAsync("ls", "--jobs", "--json", "--results", results);

        // Then
        reindex.ExitCode.ShouldBe(1);
        reindex.Out.ShouldBeEmpty();
        reindex.Error.ShouldContain("error: the catalog could not be written: cannot write");
        reindex.Error.ShouldContain("1 run(s), 2 job(s) were read, but nothing was saved");
        File.ReadAllText(Path.Combine(results, ".expt")).ShouldBe("not a folder");
        ls.ExitCode.ShouldBe(0, ls.Error);
        JsonNode.Parse(ls.Out)!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Given_the_catalog_path_is_a_symbolic_link_when_ls_and_reindex_then_the_target_is_untouched_ls_notes_it_once_and_reindex_exits_1()
    {
        // Given
        var results = _dir.Combine("results");
        await OneRunAsync(results);
        var target = _dir.File("precious.txt", "precious");
        Directory.CreateDirectory(Path.Combine(results, ".expt"));
        File.CreateSymbolicLink(Path.Combine(results, ".expt", "catalog.db"), target);

        // When
        var ls = await CliHarness.RunAsync("ls", "--results", results);
        var reindex = await CliHarness.RunAsync("reindex", "--results", results);

        // Then
        ls.ExitCode.ShouldBe(0);
        ls.Out.ShouldContain("1 run(s)");
        ls.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldHaveSingleItem().ShouldStartWith("note: ");
        ls.Error.ShouldContain("is a symbolic link; it is left as it is");
        reindex.ExitCode.ShouldBe(1);
        reindex.Error.ShouldContain("is a symbolic link");
        File.ReadAllText(target).ShouldBe("precious");
    }

    [Fact]
    public async Task Given_int_params_recorded_by_the_runner_when_ls_filters_and_sorts_on_them_then_they_compare_as_numbers()
    {
        // Given: the first run builds the catalog (through ls), the second is written into it by the runner
        var spec = _dir.File("lab/experiment.yaml", """
            experiment: qa-sort
            params: { n: { type: int, default: 1 } }
            matrix: { n: [9, 10, 100] }
            name: "n{n}"
            run: "true"
            args: none
            """);
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "first")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("ls", "--results", results)).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "second")).ExitCode.ShouldBe(0);

        // When
        var where = await CliHarness.RunAsync("ls", "--jobs", "--where", "n > 50", "--json", "--results", results);
        var sorted = await CliHarness.RunAsync("ls", "--jobs", "--where", "run = second", "--sort", "n", "--json", "--results", results);

        // Then
        where.ExitCode.ShouldBe(0, where.Error);
        JsonNode.Parse(where.Out)!.AsArray().Select(r => $"{r!["run"]}/{r["job"]}").ShouldBe(["first/n100", "second/n100"]);
        JsonNode.Parse(sorted.Out)!.AsArray().Select(r => r!["job"]!.GetValue<string>()).ShouldBe(["n9", "n10", "n100"]);
        JsonNode.Parse(sorted.Out)!.AsArray()[0]!["params"]!["n"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
    }
}
