using Expt.Catalog;
using Expt.Recording;
using Microsoft.Data.Sqlite;

namespace Expt.Tests.Catalog;

/// <summary>The catalog follows the files: missing, corrupt, stale or other-version catalogs rebuild transparently.</summary>
[Collection(CatalogEnvironment.Name)]
public sealed class CatalogStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-catalog");

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Combine("results");

    private static IReadOnlyList<JobRow> Jobs(string root, string? where = null, string? sort = null) =>
        CatalogStore.Use(root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: where, Sort: sort)));

    [Fact]
    public void Given_runs_on_disk_and_no_catalog_when_listed_then_the_catalog_is_built_under_the_results_root()
    {
        // Given
        RunFiles.Sweep(Root);

        // When
        var jobs = Jobs(Root, "lr < 5e-3 and accuracy >= 0.6", "-accuracy");

        // Then
        File.Exists(Path.Combine(Root, ".expt", "catalog.db")).ShouldBeTrue();
        jobs.Select(j => j.Id).ShouldBe(["lr0.001_r16", "lr0.0001_r16"]);
        jobs[0].Params["lora_rank"].Display.ShouldBe("16");
        jobs[0].Metrics["accuracy"].Number!.Value.ShouldBe(0.67, 1e-9);
    }

    [Fact]
    public void Given_a_deleted_catalog_when_listed_again_then_it_is_rebuilt_from_the_files()
    {
        // Given
        RunFiles.Sweep(Root);
        Jobs(Root).Count.ShouldBe(6);
        File.Delete(CatalogStore.PathFor(Root));

        // When
        var refresh = CatalogStore.Use(Root, (_, r) => r);

        // Then
        refresh.Rebuilt.ShouldBeTrue();
        refresh.Jobs.ShouldBe(6);
    }

    [Fact]
    public void Given_a_catalog_file_of_garbage_bytes_when_listed_then_it_is_replaced_by_one_built_from_the_files()
    {
        // Given
        RunFiles.Sweep(Root);
        Directory.CreateDirectory(Path.Combine(Root, ".expt"));
        File.WriteAllBytes(CatalogStore.PathFor(Root), Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251)).ToArray());

        // When
        var jobs = Jobs(Root, "state = failed");

        // Then
        jobs.Select(j => j.Id).ShouldBe(["lr0.01_r16"]);
    }

    [Fact]
    public void Given_a_catalog_of_another_schema_version_when_opened_then_it_is_rebuilt()
    {
        // Given
        RunFiles.Sweep(Root);
        Jobs(Root);
        using (var connection = new SqliteConnection($"Data Source={CatalogStore.PathFor(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 999";
            command.ExecuteNonQuery();
        }

        // When
        var refresh = CatalogStore.Use(Root, (_, r) => r);

        // Then
        refresh.Rebuilt.ShouldBeTrue();
        refresh.Jobs.ShouldBe(6);
    }

    [Fact]
    public void Given_a_catalog_whose_tables_have_the_wrong_shape_under_the_right_version_when_refreshed_then_it_is_rebuilt()
    {
        // Given
        RunFiles.Sweep(Root, runId: "a");
        Jobs(Root);
        using (var connection = new SqliteConnection($"Data Source={CatalogStore.PathFor(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE jobs DROP COLUMN vals";
            command.ExecuteNonQuery();
        }
        RunFiles.Sweep(Root, runId: "b");

        // When
        var jobs = Jobs(Root);

        // Then
        jobs.Count.ShouldBe(12);
    }

    [Fact]
    public void Given_an_indexed_root_when_a_run_is_added_one_changes_and_one_is_deleted_then_only_those_are_read_again()
    {
        // Given
        RunFiles.Sweep(Root, runId: "20260101_000000_aaaaaaa");
        var changed = RunFiles.Sweep(Root, runId: "20260102_000000_bbbbbbb");
        var deleted = RunFiles.Sweep(Root, runId: "20260103_000000_ccccccc");
        Jobs(Root).Count.ShouldBe(18);

        // When
        RunFiles.Sweep(Root, experiment: "other", runId: "20260104_000000_ddddddd");
        RunFiles.Write(Root, "sweep", Path.GetFileName(changed), [new JobSpec("only", JobState.Succeeded, new Dictionary<string, object> { ["lr"] = 0.5 }, new Dictionary<string, double> { ["accuracy"] = 0.99 })],
            new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero));
        Directory.Delete(deleted, recursive: true);
        var refresh = CatalogStore.Use(Root, (_, r) => r);

        // Then
        refresh.Rebuilt.ShouldBeFalse();
        refresh.Read.ShouldBe(2);
        refresh.Removed.ShouldBe(1);
        refresh.Runs.ShouldBe(3);
        Jobs(Root, "accuracy > 0.9").Select(j => j.Id).ShouldBe(["only"]);
        Jobs(Root, "experiment = other").Count.ShouldBe(6);
    }

    [Fact]
    public void Given_metrics_that_are_nan_or_infinite_when_filtered_by_the_words_then_those_jobs_match_and_numbers_still_compare()
    {
        // Given: Python's json.dump writes NaN and Infinity as bare words
        var run = RunFiles.Sweep(Root);
        File.WriteAllText(Path.Combine(run, "lr0.0001_r4", "metrics.json"), "{\"accuracy\": NaN, \"loss\": Infinity}");

        // When
        var nan = Jobs(Root, "accuracy = NaN");
        var infinite = Jobs(Root, "loss = Infinity");
        var above = Jobs(Root, "loss > 1e300");
        var notNan = Jobs(Root, "accuracy > 0");

        // Then
        nan.Select(j => j.Id).ShouldBe(["lr0.0001_r4"]);
        infinite.Select(j => j.Id).ShouldBe(["lr0.0001_r4"]);
        above.Select(j => j.Id).ShouldBe(["lr0.0001_r4"]);
        notNan.Select(j => j.Id).ShouldNotContain("lr0.0001_r4");
    }

    [Fact]
    public void Given_a_hidden_copy_of_a_run_inside_its_experiment_when_listed_then_only_the_run_itself_is_listed()
    {
        // Given: what an interrupted archive leaves (a dot-named partial copy with a manifest)
        var run = RunFiles.Sweep(Root);
        var partial = Path.Combine(Path.GetDirectoryName(run)!, $".{Path.GetFileName(run)}.partial-abc");
        Directory.CreateDirectory(partial);
        File.Copy(Path.Combine(run, RunManifest.FileName), Path.Combine(partial, RunManifest.FileName));

        // When
        var runs = CatalogStore.Use(Root, (store, _) => CatalogQuery.Runs(store, new CatalogFilter()));

        // Then
        runs.Select(r => r.RunId).ShouldBe([Path.GetFileName(run)]);
        ResultsRoot.Runs(Root).ShouldBe([run]);
    }

    [Fact]
    public void Given_nothing_changed_when_listed_again_then_no_run_is_read()
    {
        // Given
        RunFiles.Sweep(Root);
        Jobs(Root);

        // When
        var refresh = CatalogStore.Use(Root, (_, r) => r);

        // Then
        refresh.Read.ShouldBe(0);
        refresh.Rebuilt.ShouldBeFalse();
    }

    [Fact]
    public void Given_EXPT_CATALOG_when_listed_then_the_catalog_lives_at_that_path_and_nothing_is_written_under_the_results_root()
    {
        // Given
        RunFiles.Sweep(Root);
        var local = _dir.Combine("local", "catalog.db");
        Environment.SetEnvironmentVariable(CatalogStore.EnvironmentVariable, local);
        try
        {
            // When
            var jobs = Jobs(Root);

            // Then
            jobs.Count.ShouldBe(6);
            File.Exists(local).ShouldBeTrue();
            Directory.Exists(Path.Combine(Root, ".expt")).ShouldBeFalse();
        }
        finally
        {
            Environment.SetEnvironmentVariable(CatalogStore.EnvironmentVariable, null);
        }
    }

    [Fact]
    public void Given_an_archived_run_when_listed_then_its_jobs_come_from_the_archive_marked_archived()
    {
        // Given
        var archive = _dir.Combine("archive");
        var run = RunFiles.Sweep(archive);
        Directory.CreateDirectory(Path.Combine(Root, "sweep"));
        Expt.Internal.JsonFiles.Write(Path.Combine(Root, "sweep", Path.GetFileName(run) + Expt.Results.ArchivePointer.Suffix),
            new Expt.Results.ArchivePointer { Experiment = "sweep", RunId = Path.GetFileName(run), ArchivedTo = run });

        // When
        var runs = CatalogStore.Use(Root, (store, _) => CatalogQuery.Runs(store, new CatalogFilter()));

        // Then
        runs.Single().Archived.ShouldBeTrue();
        runs.Single().ArchivedTo.ShouldBe(run);
        Jobs(Root).ShouldAllBe(j => j.Archived && j.Directory.StartsWith(run));
    }

    [Fact]
    public void Given_a_reindex_when_run_then_it_counts_every_run_and_job()
    {
        // Given
        RunFiles.Sweep(Root, runId: "a");
        RunFiles.Sweep(Root, runId: "b");

        // When
        var refresh = CatalogStore.Rebuild(Root);

        // Then
        refresh.Runs.ShouldBe(2);
        refresh.Jobs.ShouldBe(12);
        refresh.Rebuilt.ShouldBeTrue();
    }
}

/// <summary>Catalog tests change EXPT_CATALOG, which every catalog in the process reads: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CatalogEnvironment
{
    public const string Name = "catalog environment";
}
