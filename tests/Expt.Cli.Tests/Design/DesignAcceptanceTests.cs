using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Cli.Tests.Design;

/// <summary>
/// The issue's done-when: a workload whose duration and output grow with a <c>size</c> param (a sleep of 0.3 s per
/// unit, a file of 200 KB per unit), run once with sizes 1, 3 and 5; a design of sizes 2 and 4 then estimates each
/// job's wall time and output, and the study's wall time under -p 2, within ±25% of what the next run measures.
/// </summary>
public sealed class DesignAcceptanceTests : IDisposable
{
    private const double Tolerance = 0.25;
    private readonly TempDirectory _dir = new("expt-daccept");

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: accept
        params:
          size: { type: int, default: 1 }
        matrix: { size: [1, 3, 5] }
        name: "size-{size}"
        run: sh work.sh {size}
        args: none
        """;

    private const string Work = """
        #!/bin/sh
        # Sleeps 0.3 s and writes 200 KB per unit of size.
        sleep "$(awk "BEGIN { print $1 * 0.3 }")"
        head -c "$(( $1 * 204800 ))" /dev/zero > "$EXPT_OUTPUT_DIR/out.bin"
        """;

    [Fact]
    public async Task Given_one_run_of_sizes_1_3_5_when_sizes_2_and_4_are_designed_then_each_job_and_the_study_under_p2_are_estimated_within_25_percent_of_the_next_run()
    {
        // Given: one run of sizes 1, 3 and 5
        var spec = _dir.File("study/experiment.yaml", Spec);
        _dir.File("study/work.sh", Work.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        var results = _dir.Combine("results");
        var history = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "history", "-p", "2");
        history.ExitCode.ShouldBe(0, history.Out + history.Error);

        // When: the spec now asks sizes 2 and 4 (same experiment): its design, then its run
        _dir.File("study/experiment.yaml", Spec.Replace("[1, 3, 5]", "[2, 4]", StringComparison.Ordinal));
        var design = await CliHarness.RunAsync("design", spec, "--results", results, "-p", "2", "--json");
        design.ExitCode.ShouldBe(0, design.Out + design.Error);
        var next = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "next", "-p", "2");
        next.ExitCode.ShouldBe(0, next.Out + next.Error);

        // Then: each job's estimate against what the run measured
        var json = JsonNode.Parse(design.Out)!;
        var runDir = Path.Combine(results, "accept", "next");
        var statuses = new List<JobStatus>();
        foreach (var job in json["jobs"]!.AsArray())
        {
            var id = job!["id"]!.GetValue<string>();
            var estimate = job["estimate"]!;
            estimate["basis"]!.GetValue<string>().ShouldNotBe("noHistory", id);
            var status = JsonFiles.Read<JobStatus>(Path.Combine(runDir, id, JobStatus.FileName))!;
            statuses.Add(status);
            var wall = (status.EndedAt!.Value - status.StartedAt!.Value).TotalSeconds;
            Within(estimate["wallSeconds"]!.GetValue<double>(), wall, $"{id} wall seconds");
            Within(estimate["outputBytes"]!.GetValue<double>(), BytesUnder(Path.Combine(runDir, id)), $"{id} output bytes");
        }
        statuses.Count.ShouldBe(2);

        // And the study's wall time under -p 2: from the first job's start to the last job's end
        var study = (statuses.Max(s => s.EndedAt!.Value) - statuses.Min(s => s.StartedAt!.Value)).TotalSeconds;
        Within(json["totals"]!["wallSeconds"]!.GetValue<double>(), study, "study wall seconds under -p 2");
        json["totals"]!["jobsWithoutHistory"]!.GetValue<int>().ShouldBe(0);
    }

    private static void Within(double estimated, double measured, string what) =>
        Math.Abs(estimated - measured).ShouldBeLessThanOrEqualTo(Tolerance * measured,
            $"{what}: estimated {estimated.ToString("G4", CultureInfo.InvariantCulture)}, measured {measured.ToString("G4", CultureInfo.InvariantCulture)} (±{Tolerance:P0} allowed)");

    private static long BytesUnder(string dir) =>
        new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
