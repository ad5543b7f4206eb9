using System.Text.Json;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Recording;

public sealed class ManifestStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static RunManifest Manifest(int jobs) => new()
    {
        Experiment = "e",
        RunId = "r",
        Git = GitInfo.None,
        Jobs = Enumerable.Range(0, jobs).Select(i => new ManifestJob { Id = $"j{i}", Variant = $"j{i}", Stage = "main", Dir = $"j{i}" }).ToList(),
    };

    [Fact]
    public void Given_transitions_when_flushed_then_readers_see_them_through_the_journal_without_a_manifest_rewrite()
    {
        // Given
        using var store = new ManifestStore(_dir.Path, Manifest(1000), TimeProvider.System);
        var written = File.GetLastWriteTimeUtc(Path.Combine(_dir.Path, RunManifest.FileName));
        var manifestBytes = File.ReadAllBytes(Path.Combine(_dir.Path, RunManifest.FileName));

        // When
        store.Update(store.Find("j7")! with { State = JobState.Running, Attempts = 1 });
        store.Update(store.Find("j7")! with { State = JobState.Succeeded });
        store.Flush();

        // Then
        File.ReadAllBytes(Path.Combine(_dir.Path, RunManifest.FileName)).ShouldBe(manifestBytes);
        File.ReadAllLines(Path.Combine(_dir.Path, ManifestStore.JournalFileName)).Length.ShouldBe(2);
        var read = ManifestStore.Read(_dir.Path)!;
        read.Jobs.Single(j => j.Id == "j7").State.ShouldBe(JobState.Succeeded);
        read.Jobs.Count.ShouldBe(1000);
        _ = written;
    }

    [Fact]
    public void Given_a_journal_line_cut_short_by_a_crash_when_read_then_the_complete_lines_still_apply()
    {
        // Given
        using (var store = new ManifestStore(_dir.Path, Manifest(3), TimeProvider.System))
        {
            store.Update(store.Find("j1")! with { State = JobState.Failed });
            store.Flush();
        }
        File.AppendAllText(Path.Combine(_dir.Path, ManifestStore.JournalFileName), "{\"id\":\"j2\",\"sta");

        // When
        var read = ManifestStore.Read(_dir.Path)!;

        // Then
        read.Jobs.Single(j => j.Id == "j1").State.ShouldBe(JobState.Failed);
        read.Jobs.Single(j => j.Id == "j2").State.ShouldBe(JobState.Pending);
    }

    [Fact]
    public void Given_a_journal_longer_than_the_manifest_when_flushed_then_it_is_compacted_into_the_manifest()
    {
        // Given
        using var store = new ManifestStore(_dir.Path, Manifest(10), TimeProvider.System);

        // When: more transitions than the compaction threshold.
        for (var i = 0; i < 300; i++) store.Update(store.Find($"j{i % 10}")! with { Attempts = i });
        store.Flush();

        // Then
        File.Exists(Path.Combine(_dir.Path, ManifestStore.JournalFileName)).ShouldBeFalse();
        ManifestStore.Read(_dir.Path)!.Jobs.Single(j => j.Id == "j9").Attempts.ShouldBe(299);
    }

    [Fact]
    public void Given_a_completed_run_when_read_then_the_manifest_alone_is_exact_and_starts_with_its_schema_version()
    {
        // Given
        using (var store = new ManifestStore(_dir.Path, Manifest(2), TimeProvider.System))
        {
            store.Update(store.Find("j0")! with { State = JobState.Succeeded });
            store.Complete(DateTimeOffset.UnixEpoch);
        }

        // When
        var text = File.ReadAllText(Path.Combine(_dir.Path, RunManifest.FileName));

        // Then
        text.TrimStart().ShouldStartWith("{\n  \"schemaVersion\": 1,");
        File.Exists(Path.Combine(_dir.Path, ManifestStore.JournalFileName)).ShouldBeFalse();
        ManifestStore.Read(_dir.Path)!.Jobs[0].State.ShouldBe(JobState.Succeeded);
    }

    [Fact]
    public void Given_a_manifest_from_a_newer_expt_when_read_then_it_says_to_upgrade()
    {
        // Given
        File.WriteAllText(Path.Combine(_dir.Path, RunManifest.FileName), "{\"schemaVersion\": 99, \"experiment\": \"e\", \"runId\": \"r\", \"git\": {\"commit\": \"nogit\", \"dirty\": false}, \"jobs\": []}");

        // When
        var error = Should.Throw<JsonException>(() => ManifestStore.Read(_dir.Path));

        // Then
        error.Message.ShouldContain("schemaVersion 99");
        error.Message.ShouldContain("Upgrade Expt");
    }
}
