using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// A run made with <c>--filter</c>/<c>--only</c> lists every job of the spec, but the jobs it left out are not pending:
/// every reader leaves them out of its counts, rows and comparisons, and says how many it left out.
/// </summary>
public sealed class SelectionTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-select");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private Task<CliResult> Expt(params string[] args) => CliHarness.RunAsync([.. args, "--results", Results]);

    // Four variants; each writes its lr as a metric, so that a comparison has something to show.
    private string Spec()
    {
        _dir.File("exp/score.py", "import json, os\nc = json.load(open(os.environ['EXPT_CONFIG']))\njson.dump({'score': c['lr']}, open(os.path.join(os.environ['EXPT_OUTPUT_DIR'], 'metrics.json'), 'w'))\n");
        return _dir.File("exp/experiment.yaml", """
            experiment: sel
            params:
              model: { type: string, default: a }
              lr: { type: float, default: 0.1 }
            matrix: { model: [a, b, c, d] }
            name: "{model}"
            run: python3 score.py
            args: none
            """);
    }

    private async Task<string> Run(string spec, params string[] args)
    {
        var result = await Expt(["run", spec, .. args]);
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        return result.Out;
    }

    [Fact]
    public async Task Given_a_filtered_run_when_listed_shown_exported_and_its_status_read_then_only_the_selected_job_counts_and_the_rest_are_said_to_be_left_out()
    {
        // Given one of four variants run
        var spec = Spec();
        await Run(spec, "--filter", "model=a", "--run-id", "one");

        // When
        var ls = await Expt("ls");
        var lsJson = JsonNode.Parse((await Expt("ls", "--json")).Out)!.AsArray().ShouldHaveSingleItem()!;
        var jobs = JsonNode.Parse((await Expt("ls", "--jobs", "--json")).Out)!.AsArray();
        var show = await Expt("show", "one");
        var export = await Expt("export", "one", "--format", "jsonl");
        var status = await Expt("status", "one");

        // Then nothing reads as pending, and each says how many were left out
        ls.Out.ShouldContain("1 succeeded (3 not selected, left out)");
        ls.Out.ShouldNotContain("pending");
        lsJson["jobs"]!.GetValue<int>().ShouldBe(1);
        lsJson["notSelected"]!.GetValue<int>().ShouldBe(3);
        lsJson["states"]!.AsObject().Select(kv => kv.Key).ShouldBe(["succeeded"]);
        jobs.Select(j => j!["job"]!.GetValue<string>()).ShouldBe(["a"]);
        show.Out.ShouldContain("Jobs: 1 succeeded (3 not selected, left out)");
        var rows = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rows.ShouldHaveSingleItem().ShouldContain("\"lr\":0.1");
        export.Error.ShouldContain("3 job(s) of the spec were not selected in run sel/one");
        status.Out.ShouldContain("1/1 done; 1 succeeded (3 not selected, left out)");
        status.Out.ShouldNotContain("pending");
    }

    [Fact]
    public async Task Given_a_filtered_run_and_a_full_one_when_compared_then_the_params_that_differ_are_shown_and_the_unselected_jobs_are_left_out()
    {
        // Given a full run at lr 0.1 and a one-variant run at lr 0.2
        var spec = Spec();
        await Run(spec, "--run-id", "full");
        await Run(spec, "--filter", "model=a", "--set", "lr=0.2", "--run-id", "one");

        // When
        var compare = await Expt("compare", "full", "one");

        // Then the runs' difference is told once, and the three jobs B never ran are neither compared nor listed
        compare.ExitCode.ShouldBe(0, compare.Error);
        compare.Out.ShouldContain("Left out: 3 job(s) not selected in B");
        compare.Out.ShouldContain("Params that differ");
        compare.Out.ShouldMatch(@"(?m)^  a +\S");
        compare.Out.ShouldNotMatch(@"(?m)^  [bcd] ");
        compare.Out.ShouldNotContain("Only in");
    }

    [Fact]
    public async Task Given_a_finished_filtered_run_when_cancelled_or_archived_then_its_unselected_jobs_are_not_jobs_waiting_to_start()
    {
        // Given
        var spec = Spec();
        await Run(spec, "--filter", "model=a", "--run-id", "one");

        // When
        var cancel = await Expt("cancel", "one");
        var archive = await Expt("archive", "one", "--dry-run");
        var show = await Expt("show", "one", "--json");

        // Then there was nothing to cancel, the run is complete, and no job became cancelled
        cancel.ExitCode.ShouldBe(0, cancel.Error);
        cancel.Out.ShouldContain("Nothing to cancel");
        archive.ExitCode.ShouldBe(0, archive.Out + archive.Error);
        var states = JsonNode.Parse(show.Out)!["states"]!.AsObject();
        states.Select(kv => kv.Key).ShouldBe(["succeeded"]);
        Directory.Exists(Path.Combine(Results, "sel", "one", "b")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_manifest_written_before_the_selected_marker_when_listed_and_resumed_with_another_filter_then_it_reads_the_same_and_the_newly_selected_job_counts()
    {
        // Given a filtered run whose manifest has no "selected" marks (as Expt wrote it before they existed)
        var spec = Spec();
        await Run(spec, "--filter", "model=a", "--run-id", "old");
        var manifestPath = Path.Combine(Results, "sel", "old", "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var entries = manifest["jobs"]!.AsArray();
        entries.Count(j => j!["selected"] is not null).ShouldBe(3);
        foreach (var job in entries) job!.AsObject().Remove("selected");
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        // When it is listed, then resumed for variant b, then listed again
        var before = await Expt("ls");
        await Run(spec, "--filter", "model=b", "--resume", "old");
        var after = await Expt("ls");
        var resumed = JsonNode.Parse(File.ReadAllText(manifestPath))!["jobs"]!.AsArray();

        // Then the old manifest reads as the new one would, and the resume made b part of the run and marked c and d
        before.Out.ShouldContain("1 succeeded (3 not selected, left out)");
        after.Out.ShouldContain("2 succeeded (2 not selected, left out)");
        resumed.Where(j => j!["selected"] is not null).Select(j => j!["id"]!.GetValue<string>()).ShouldBe(["c", "d"]);
    }
}
