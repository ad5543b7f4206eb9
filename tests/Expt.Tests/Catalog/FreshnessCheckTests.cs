using Expt.Catalog;
using Expt.Internal;
using Expt.Recording;
using Microsoft.Data.Sqlite;

namespace Expt.Tests.Catalog;

/// <summary>
/// The check every listing makes before it answers trusts a finished run whose directory has not changed, with one
/// look at the directory; every way Expt changes a run changes that directory, so none is missed.
/// </summary>
[Collection(CatalogEnvironment.Name)]
public sealed class FreshnessCheckTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempDirectory _dir = new("expt-fresh");

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Combine("results");

    private static CatalogRefresh Refresh(string root) => CatalogStore.Use(root, (_, r) => r);

    /// <summary>A run indexed after its directory's time has settled, as a run finished a while ago is.</summary>
    private string SettledRun()
    {
        var run = RunFiles.Sweep(Root);
        Directory.SetLastWriteTimeUtc(run, LongAgo);
        Refresh(Root).Read.ShouldBe(1);
        return run;
    }

    [Fact]
    public void Given_a_settled_finished_run_when_its_manifest_is_replaced_as_expt_writes_it_then_the_next_listing_reads_it_again()
    {
        // Given
        var run = SettledRun();
        var manifest = JsonFiles.Read<RunManifest>(Path.Combine(run, RunManifest.FileName))!;

        // When: written as every Expt command writes it, a new file renamed over the old one
        JsonFiles.Write(Path.Combine(run, RunManifest.FileName), manifest with { Question = "Changed?" });
        var refresh = Refresh(Root);

        // Then
        refresh.Read.ShouldBe(1);
        CatalogStore.Use(Root, (store, _) => CatalogQuery.Runs(store, new CatalogFilter())).Single().Question.ShouldBe("Changed?");
    }

    [Fact]
    public void Given_a_settled_finished_run_when_a_runner_starts_its_journal_then_the_next_listing_reads_it_again()
    {
        // Given
        var run = SettledRun();

        // When
        File.WriteAllText(Path.Combine(run, ManifestStore.JournalFileName), "");
        var refresh = Refresh(Root);

        // Then
        refresh.Read.ShouldBe(1);
    }

    [Fact]
    public void Given_a_settled_finished_run_when_listed_again_then_its_stamp_is_trusted_from_its_directory_alone()
    {
        // Given: the manifest changed in place, without a rename (no Expt command writes so) and its directory untouched
        var run = SettledRun();
        var manifest = Path.Combine(run, RunManifest.FileName);
        File.AppendAllText(manifest, "\n");
        Directory.SetLastWriteTimeUtc(run, LongAgo);

        // When
        var refresh = Refresh(Root);

        // Then: not read again (expt reindex reads it, as for any file no manifest change shows)
        refresh.Read.ShouldBe(0);
    }

    [Fact]
    public void Given_a_catalog_whose_stamps_hold_no_directory_times_when_listed_then_nothing_is_read_again_and_the_stamps_gain_them()
    {
        // Given: stamps as an earlier Expt wrote them
        SettledRun();
        using (var connection = new SqliteConnection($"Data Source={CatalogStore.PathFor(Root)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE runs SET stamp = substr(stamp, 1, instr(stamp, '|d') - 1)";
            command.ExecuteNonQuery().ShouldBe(1);
        }

        // When
        var first = Refresh(Root);
        var second = Refresh(Root);

        // Then
        first.Read.ShouldBe(0);
        second.Read.ShouldBe(0);
        RunStamp.Unchanged(Stamp(), LongAgo).ShouldBeTrue();
    }

    private string Stamp()
    {
        using var connection = new SqliteConnection($"Data Source={CatalogStore.PathFor(Root)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stamp FROM runs";
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public void Given_a_run_directory_modified_just_now_when_stamped_then_its_time_is_left_out_until_it_settles()
    {
        // Given
        var run = RunFiles.Sweep(Root);
        Directory.SetLastWriteTimeUtc(run, DateTime.UtcNow);

        // When
        var stamp = RunStamp.Of(run);

        // Then
        stamp.ShouldNotContain("|d");
        RunStamp.Unchanged(stamp, Directory.GetLastWriteTimeUtc(run)).ShouldBeFalse();
    }
}
