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

    private static T WithCatalogAt<T>(string path, Func<T> action)
    {
        Environment.SetEnvironmentVariable(CatalogStore.EnvironmentVariable, path);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable(CatalogStore.EnvironmentVariable, null);
        }
    }

    private static (int Jobs, string? Warning) ListAt(string root, string catalog) =>
        WithCatalogAt(catalog, () => CatalogStore.Use(root, (store, _) => (CatalogQuery.Jobs(store, new CatalogFilter()).Count, store.Warning)));

    private static int ApplicationIdOf(string path)
    {
        var header = File.ReadAllBytes(path).AsSpan(68, 4);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_a_text_file_when_listed_then_the_file_is_untouched_and_the_listing_comes_from_memory_with_a_warning()
    {
        // Given
        RunFiles.Sweep(Root);
        var notes = _dir.File("notes.txt", "notes\n");

        // When
        var (jobs, warning) = ListAt(Root, notes);
        var rebuilt = WithCatalogAt(notes, () => CatalogStore.Rebuild(Root));

        // Then
        jobs.ShouldBe(6);
        File.ReadAllText(notes).ShouldBe("notes\n");
        warning.ShouldBe($"EXPT_CATALOG={notes} is not an Expt catalog (not an SQLite database); it is left as it is, and the catalog is kept in memory for this command");
        rebuilt.Jobs.ShouldBe(6);
        rebuilt.NotWritten.ShouldNotBeNull().ShouldContain("not an Expt catalog");
        File.ReadAllText(notes).ShouldBe("notes\n");
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_another_applications_sqlite_database_when_listed_or_rebuilt_then_its_tables_are_kept()
    {
        // Given
        RunFiles.Sweep(Root);
        var other = _dir.Combine("other.db");
        Sql(other, "CREATE TABLE runs(x); CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('ada');");

        // When
        var (jobs, warning) = ListAt(Root, other);
        WithCatalogAt(other, () => CatalogStore.Rebuild(Root));

        // Then
        jobs.ShouldBe(6);
        warning.ShouldNotBeNull().ShouldContain("is an SQLite database that is not an Expt catalog");
        using var connection = new SqliteConnection($"Data Source={other};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM contacts";
        command.ExecuteScalar().ShouldBe("ada");
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_dev_null_when_listed_then_the_device_is_left_a_device()
    {
        // Given
        RunFiles.Sweep(Root);
        if (!File.Exists("/dev/null")) return;

        // When
        var (jobs, warning) = ListAt(Root, "/dev/null");
        WithCatalogAt("/dev/null", () => CatalogStore.Rebuild(Root));

        // Then
        jobs.ShouldBe(6);
        warning.ShouldNotBeNull().ShouldContain("is not a regular file");
        new FileInfo("/dev/null").Length.ShouldBe(0);
        File.ReadAllBytes("/dev/null").ShouldBeEmpty();
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_a_directory_or_a_symbolic_link_when_listed_then_neither_is_touched()
    {
        // Given
        RunFiles.Sweep(Root);
        var directory = Directory.CreateDirectory(_dir.Combine("a-dir")).FullName;
        var target = _dir.File("target.txt", "mine");
        var link = _dir.Combine("link.db");
        File.CreateSymbolicLink(link, target);
        var catalogTarget = _dir.Combine("real-catalog.db");
        WithCatalogAt(catalogTarget, () => CatalogStore.Rebuild(Root));
        var catalogLink = _dir.Combine("catalog-link.db");
        File.CreateSymbolicLink(catalogLink, catalogTarget);
        var before = File.ReadAllBytes(catalogTarget);

        // When
        var inDirectory = ListAt(Root, directory);
        var atLink = ListAt(Root, link);
        var atCatalogLink = ListAt(Root, catalogLink);

        // Then
        inDirectory.Jobs.ShouldBe(6);
        inDirectory.Warning.ShouldNotBeNull().ShouldContain("is a directory");
        Directory.EnumerateFileSystemEntries(directory).ShouldBeEmpty();
        atLink.Warning.ShouldNotBeNull().ShouldContain("is a symbolic link");
        File.ReadAllText(target).ShouldBe("mine");
        new FileInfo(link).LinkTarget.ShouldBe(target);
        atCatalogLink.Jobs.ShouldBe(6);
        atCatalogLink.Warning.ShouldNotBeNull().ShouldContain("is a symbolic link");
        File.ReadAllBytes(catalogTarget).ShouldBe(before);
    }

    [Fact]
    public void Given_a_catalog_path_that_is_a_symbolic_link_in_the_results_root_when_listed_then_its_target_is_untouched()
    {
        // Given
        RunFiles.Sweep(Root);
        var target = _dir.File("precious.txt", "precious");
        Directory.CreateDirectory(Path.Combine(Root, ".expt"));
        File.CreateSymbolicLink(CatalogStore.PathFor(Root), target);

        // When
        var (jobs, warning) = CatalogStore.Use(Root, (store, _) => (CatalogQuery.Jobs(store, new CatalogFilter()).Count, store.Warning));
        var rebuilt = CatalogStore.Rebuild(Root);

        // Then
        jobs.ShouldBe(6);
        warning.ShouldBe($"{CatalogStore.PathFor(Root)} is a symbolic link; it is left as it is, and the catalog is kept in memory for this command");
        rebuilt.NotWritten.ShouldNotBeNull();
        File.ReadAllText(target).ShouldBe("precious");
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_an_empty_file_when_listed_then_it_becomes_a_catalog_stamped_with_the_expt_application_id()
    {
        // Given
        RunFiles.Sweep(Root);
        var empty = _dir.File("empty.db", "");

        // When
        var (jobs, warning) = ListAt(Root, empty);

        // Then
        jobs.ShouldBe(6);
        warning.ShouldBeNull();
        ApplicationIdOf(empty).ShouldBe(0x45585054);
        WithCatalogAt(empty, () => CatalogStore.Use(Root, (_, r) => r)).Rebuilt.ShouldBeFalse();
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_a_catalog_of_an_older_expt_without_application_id_when_listed_then_it_is_rebuilt_as_ours()
    {
        // Given: a catalog as Expt wrote it before it set an application id, of another schema version
        RunFiles.Sweep(Root);
        var old = _dir.Combine("old.db");
        WithCatalogAt(old, () => CatalogStore.Rebuild(Root));
        Sql(old, "PRAGMA application_id = 0; PRAGMA user_version = 2;");
        ApplicationIdOf(old).ShouldBe(0);

        // When
        var refresh = WithCatalogAt(old, () => CatalogStore.Use(Root, (store, r) => (r, store.Warning)));

        // Then
        refresh.r.Rebuilt.ShouldBeTrue();
        refresh.r.Jobs.ShouldBe(6);
        refresh.Warning.ShouldBeNull();
        ApplicationIdOf(old).ShouldBe(0x45585054);
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_an_expt_catalog_whose_pages_are_damaged_when_listed_then_it_is_rebuilt()
    {
        // Given: the header page (with Expt's application id) intact, everything after it garbage
        RunFiles.Sweep(Root);
        var damaged = _dir.Combine("damaged.db");
        WithCatalogAt(damaged, () => CatalogStore.Rebuild(Root));
        var bytes = File.ReadAllBytes(damaged);
        for (var i = 4096; i < bytes.Length; i++) bytes[i] = (byte)(i * 7919 % 251);
        File.WriteAllBytes(damaged, bytes);

        // When
        var (jobs, warning) = ListAt(Root, damaged);

        // Then
        jobs.ShouldBe(6);
        warning.ShouldBeNull();
        WithCatalogAt(damaged, () => CatalogStore.Use(Root, (_, r) => r)).Rebuilt.ShouldBeFalse();
    }

    [Fact]
    public void Given_EXPT_CATALOG_at_a_file_of_garbage_bytes_when_listed_then_it_is_kept_since_it_cannot_be_told_ours()
    {
        // Given
        RunFiles.Sweep(Root);
        var garbage = _dir.Combine("garbage.db");
        var bytes = Enumerable.Range(0, 8192).Select(i => (byte)(i * 7919 % 251)).ToArray();
        File.WriteAllBytes(garbage, bytes);

        // When
        var (jobs, warning) = ListAt(Root, garbage);

        // Then
        jobs.ShouldBe(6);
        warning.ShouldNotBeNull();
        File.ReadAllBytes(garbage).ShouldBe(bytes);
    }

    [Fact]
    public void Given_the_default_catalog_created_by_this_expt_when_read_then_it_carries_the_expt_application_id()
    {
        // Given
        RunFiles.Sweep(Root);

        // When
        Jobs(Root);

        // Then
        ApplicationIdOf(CatalogStore.PathFor(Root)).ShouldBe(0x45585054);
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
