using System.Text.Json.Nodes;
using Expt.Catalog;
using Expt.Design;
using Expt.Recording;
using Expt.Tests.Catalog;
using RunFiles = Expt.Tests.Catalog.RunFiles;
using Microsoft.Data.Sqlite;

namespace Expt.Tests.Design;

/// <summary>The history <c>expt design</c> estimates from: succeeded jobs of the same experiment, from the catalog.</summary>
[Collection(CatalogEnvironment.Name)]
public sealed class JobHistoryTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-history");

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Combine("results");

    private static readonly DateTimeOffset Day1 = new(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);

    private static JobSpec Job(string name, JobState state, int size, double wall, long? output = null, string stage = "train") =>
        new(name, state, new Dictionary<string, object> { ["size"] = size, ["model"] = "tiny", ["fast"] = true, ["layers"] = new[] { 1, 2 } })
        {
            Stage = stage,
            Accounting = new JobAccounting(wall, wall * 0.9, 100 + size, wall * 2),
            OutputBytes = output,
        };

    private void WriteRuns()
    {
        RunFiles.Write(Root, "e", "20260101_090000_aaaaaaa", [Job("s1", JobState.Succeeded, 1, 10, 1000), Job("s3", JobState.Succeeded, 3, 30, 3000), Job("bad", JobState.Failed, 9, 90)], Day1);
        RunFiles.Write(Root, "e", "20260102_090000_bbbbbbb", [Job("s5", JobState.Succeeded, 5, 50, 5000, "eval"), Job("run", JobState.Running, 7, 70)], Day1.AddDays(1));
        RunFiles.Write(Root, "other", "20260103_090000_ccccccc", [Job("x", JobState.Succeeded, 2, 20, 2000)], Day1.AddDays(2));
    }

    [Fact]
    public void Given_runs_of_the_experiment_and_of_another_when_read_then_every_succeeded_job_of_the_experiment_comes_newest_run_first_with_its_params_and_measures()
    {
        // Given
        WriteRuns();

        // When
        var history = JobHistory.Read(Root, "e");

        // Then
        history.Warnings.ShouldBeEmpty();
        history.Runs.ShouldBe(2);
        history.Jobs.Select(j => (j.Run, j.Job, j.Stage)).ShouldBe([("20260102_090000_bbbbbbb", "s5", "eval"), ("20260101_090000_aaaaaaa", "s1", "train"), ("20260101_090000_aaaaaaa", "s3", "train")]);
        var s3 = history.Jobs[2];
        s3.Measures.ShouldBe(new JobMeasures(30, 27, 60, 103, 3000));
        s3.Params["size"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number);
        s3.Params["size"]!.GetValue<double>().ShouldBe(3);
        s3.Params["model"]!.GetValue<string>().ShouldBe("tiny");
        s3.Params["fast"]!.GetValue<bool>().ShouldBeTrue();
        JsonNode.DeepEquals(s3.Params["layers"], new JsonArray(1, 2)).ShouldBeTrue(s3.Params["layers"]?.ToJsonString());
    }

    [Fact]
    public void Given_a_job_written_before_output_and_cpu_were_recorded_when_read_then_its_missing_figures_are_null()
    {
        // Given
        RunFiles.Write(Root, "e", "r1", [new JobSpec("old", JobState.Succeeded, new Dictionary<string, object> { ["size"] = 1 })], Day1);

        // When
        var history = JobHistory.Read(Root, "e");

        // Then: its wall time is the last attempt's (30 s), the rest unknown.
        history.Jobs.Single().Measures.ShouldBe(new JobMeasures(30, null, null, null, null));
    }

    [Fact]
    public void Given_no_results_root_or_no_runs_of_the_experiment_when_read_then_the_history_is_empty_and_nothing_is_created()
    {
        // When
        var none = JobHistory.Read(Root, "e");
        Directory.CreateDirectory(Root);
        var empty = JobHistory.Read(Root, "e");
        WriteRuns();
        var other = JobHistory.Read(Root, "nothing-like-it");

        // Then
        none.ShouldBe(HistoryRead.Empty);
        (empty.Jobs.Count, empty.Runs, empty.Warnings.Count).ShouldBe((0, 0, 0));
        (other.Jobs.Count, other.Runs, other.Warnings.Count).ShouldBe((0, 0, 0));
    }

    [Fact]
    public void Given_more_succeeded_jobs_than_the_bound_when_read_then_the_newest_are_kept_and_a_warning_says_so()
    {
        // Given
        WriteRuns();

        // When
        var history = JobHistory.Read(Root, "e", maxJobs: 2);

        // Then
        history.Jobs.Select(j => j.Job).ShouldBe(["s5", "s1"]);
        history.Warnings.ShouldBe(["only the newest 2 succeeded jobs of the experiment are used; older ones are left out"]);
    }

    [Fact]
    public void Given_a_catalog_that_cannot_be_queried_when_read_then_the_history_is_empty_with_a_warning()
    {
        // Given: a catalog of this schema version without the cost columns (as a build of another branch could leave).
        WriteRuns();
        JobHistory.Read(Root, "e").Jobs.Count.ShouldBe(3);
        using (var connection = new SqliteConnection($"Data Source={CatalogStore.PathFor(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE jobs DROP COLUMN output_bytes";
            command.ExecuteNonQuery();
        }

        // When
        var history = JobHistory.Read(Root, "e");

        // Then
        history.Jobs.ShouldBeEmpty();
        history.Runs.ShouldBe(0);
        history.Warnings.Single().ShouldStartWith($"the catalog of {Root} could not be read, so no earlier run is used: ");
        history.Warnings.Single().ShouldContain("output_bytes");
    }
}
