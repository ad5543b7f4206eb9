using System.Text.Json.Nodes;
using Expt.Cli.Rendering;
using Expt.Cli.Tests.Support;
using Expt.Design;

namespace Expt.Cli.Tests.Design;

/// <summary>What a design says, checked against stored expectations: design.log, the terminal summary, the JSON.</summary>
public sealed class DesignDocumentTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-ddoc");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_design_with_missing_resources_history_and_a_short_disk_when_its_log_is_rendered_then_it_matches_the_stored_log()
    {
        // Given
        var design = DesignSample.Build(_dir);

        // When
        var log = DesignLog.Render(design.Log);

        // Then
        design.Log.Select(e => e.Action).ShouldBe(["VERIFY_PATH", "VERIFY_PATH", "VERIFY_SCRIPT", "VERIFY_SCRIPT", "SEARCH_PRIOR_RUNS",
            "CALCULATE_TIME", "CALCULATE_TIME", "CALCULATE_DISK", "CHECK_DISK", "CREATE_SUMMARY", "COMPLETE"]);
        Snapshot.Match(log, "design-log");
    }

    [Fact]
    public void Given_a_free_disk_smaller_than_the_estimated_output_when_designed_then_a_warning_says_so_and_the_check_disk_entry_warns()
    {
        // Given: 3.2 MiB to have free (2.8 MB + 20%), 1 MB free
        var design = DesignSample.Build(_dir, freeBytes: 1_000_000);

        // Then
        design.Warnings.ShouldContain(w => w.StartsWith("free disk at /results is 976.6 KiB, short of the 3.2 MiB", StringComparison.Ordinal));
        design.Log.Single(e => e.Action == "CHECK_DISK").Result.ShouldBe("WARNING: 976.6 KiB available, short of the 3.2 MiB needed");
        design.Problems.Count.ShouldBe(2, "a short disk is a warning, not a problem");
    }

    [Fact]
    public void Given_enough_free_disk_when_designed_then_no_disk_warning()
    {
        var design = DesignSample.Build(_dir, freeBytes: 10_000_000_000);

        design.Warnings.ShouldNotContain(w => w.StartsWith("free disk", StringComparison.Ordinal));
        design.Log.Single(e => e.Action == "CHECK_DISK").Result.ShouldBe("9.3 GiB available; enough for 3.2 MiB");
    }

    [Fact]
    public void Given_a_design_when_summarised_on_the_terminal_then_it_matches_the_stored_output()
    {
        // Given
        var design = DesignSample.Build(_dir);
        var output = new StringWriter();

        // When
        DesignRenderer.Write(output, design, "experiment.yaml", "/study/experiment_summary.md", "/study/design.log");

        // Then
        Snapshot.Match(output.ToString(), "design-terminal");
    }

    [Fact]
    public void Given_a_design_when_written_as_json_then_it_has_the_camel_case_shape_and_a_figure_without_history_is_null()
    {
        // Given
        var design = DesignSample.Build(_dir);

        // When
        var json = JsonNode.Parse(DesignJson.Build(design).ToJsonString())!;

        // Then
        json["experiment"]!.GetValue<string>().ShouldBe("sweep");
        json["variants"]!.GetValue<int>().ShouldBe(4);
        var jobs = json["jobs"]!.AsArray();
        jobs.Count.ShouldBe(4);
        jobs[1]!["id"]!.GetValue<string>().ShouldBe("s4");
        jobs[1]!["variant"]!.GetValue<string>().ShouldBe("s4");
        jobs[1]!["stage"]!.GetValue<string>().ShouldBe("main");
        var estimate = jobs[1]!["estimate"]!.AsObject();
        estimate.Select(p => p.Key).ShouldBe(["wallSeconds", "cpuSeconds", "gpuSeconds", "peakRssMb", "outputBytes", "basis", "n", "detail"]);
        estimate["wallSeconds"]!.GetValue<double>().ShouldBe(40);
        estimate["basis"]!.GetValue<string>().ShouldBe("fit");
        estimate["n"]!.GetValue<int>().ShouldBe(3);
        var none = jobs[3]!["estimate"]!.AsObject();
        none.ContainsKey("wallSeconds").ShouldBeTrue();
        none["wallSeconds"].ShouldBeNull();
        none["outputBytes"].ShouldBeNull();
        none["basis"]!.GetValue<string>().ShouldBe("noHistory");
        var resource = json["resources"]![0]!;
        resource["kind"]!.GetValue<string>().ShouldBe("path");
        resource["path"]!.GetValue<string>().ShouldBe("data/train.json");
        resource["exists"]!.GetValue<bool>().ShouldBeFalse();
        resource["bytes"].ShouldBeNull();
        json["resources"]!.AsArray().Last()!["kind"]!.GetValue<string>().ShouldBe("disk");
        var totals = json["totals"]!;
        totals["wallSeconds"]!.GetValue<double>().ShouldBe(100);
        totals["cpuHours"]!.GetValue<double>().ShouldBe(0.035);
        totals["gpuHours"]!.GetValue<double>().ShouldBe(0);
        totals["diskBytes"]!.GetValue<long>().ShouldBe(3_360_000);
        totals["jobsWithoutHistory"]!.GetValue<int>().ShouldBe(1);
        json["freeDiskBytes"]!.GetValue<long>().ShouldBe(1_000_000);
        json["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe([
            "path data/train.json (param dataset (4 variants)): no such file or folder",
            "script train.py (stage main): not found",
        ]);
    }
}
