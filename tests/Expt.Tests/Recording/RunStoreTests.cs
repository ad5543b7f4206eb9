using Expt.Internal;
using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>The one writer of a run directory, opened without a plan as <c>expt status</c>, <c>cancel</c> and <c>watch</c> open it.</summary>
public sealed class RunStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string RunDir => _dir.Combine("run");

    private static RunManifest Manifest(string runDir, int jobs)
    {
        Directory.CreateDirectory(runDir);
        return new RunManifest
        {
            Experiment = "e",
            RunId = Path.GetFileName(runDir),
            Git = GitInfo.None,
            Jobs = Enumerable.Range(0, jobs).Select(i => new ManifestJob { Id = $"j{i}", Variant = $"j{i}", Stage = "main", Dir = $"j{i}" }).ToList(),
        };
    }

    /// <summary>A run as a runner left it: its manifest, a journal line for j1, and j1's status.json.</summary>
    private void WriteRun(int jobs)
    {
        using (var manifest = new ManifestStore(RunDir, Manifest(RunDir, jobs), TimeProvider.System))
        {
            manifest.Update(manifest.Find("j1")! with { State = JobState.Running, Attempts = 1 });
        }
        File.Exists(RunFiles.JournalPath(RunDir)).ShouldBeTrue();
        Directory.CreateDirectory(Path.Combine(RunDir, "j1"));
        JsonFiles.Write(RunFiles.StatusPath(Path.Combine(RunDir, "j1")), Status("j1", JobState.Running));
    }

    private static JobStatus Status(string id, JobState state) => new()
    {
        Id = id,
        Variant = id,
        Stage = "main",
        State = state,
        Attempts = [new AttemptRecord { Attempt = 1, State = state, StartedAt = DateTimeOffset.UnixEpoch }],
        StartedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void Given_a_run_with_a_journal_when_opened_without_a_plan_then_its_jobs_are_the_manifest_with_the_journal_replayed_and_the_run_is_locked()
    {
        // Given
        WriteRun(3);

        // When
        using var store = RunStore.TryOpen(RunDir, TimeProvider.System, out var problem);

        // Then
        problem.ShouldBeNull();
        store.ShouldNotBeNull();
        store.Jobs.Select(j => j.Id).ShouldBe(["j0", "j1", "j2"]);
        store.Find("j1")!.State.ShouldBe(JobState.Running);
        store.Find("nope").ShouldBeNull();
        store.RunId.ShouldBe("run");
        store.Faults.ShouldBeNull();
        RunLock.IsHeld(RunDir).ShouldBeTrue();
        RunStore.TryOpen(RunDir, TimeProvider.System, out var second).ShouldBeNull();
        second.ShouldNotBeNull();
        second.ShouldStartWith("the run is in use by another process");
    }

    [Fact]
    public void Given_a_directory_without_a_manifest_when_opened_then_the_problem_says_so()
    {
        // Given
        Directory.CreateDirectory(RunDir);

        // When
        var store = RunStore.TryOpen(RunDir, TimeProvider.System, out var problem);

        // Then
        store.ShouldBeNull();
        problem.ShouldBe($"{RunDir} has no {RunManifest.FileName}");
        RunLock.IsHeld(RunDir).ShouldBeFalse();
    }

    [Fact]
    public void Given_a_status_read_once_when_its_file_changes_then_the_store_keeps_what_it_read_and_a_job_without_one_is_pending()
    {
        // Given
        WriteRun(2);
        using var store = RunStore.TryOpen(RunDir, TimeProvider.System, out _)!;
        store.Status(store.Find("j1")!).State.ShouldBe(JobState.Running);

        // When: the file says something else now (only this store may write it, so it is not read again)
        File.Delete(RunFiles.StatusPath(Path.Combine(RunDir, "j1")));

        // Then
        store.Status(store.Find("j1")!).State.ShouldBe(JobState.Running);
        store.Recorded(store.Find("j0")!).ShouldBeNull();
        store.Status(store.Find("j0")!).ShouldSatisfyAllConditions(
            s => s.State.ShouldBe(JobState.Pending),
            s => s.Id.ShouldBe("j0"),
            s => s.Attempts.ShouldBeEmpty());
    }

    [Fact]
    public void Given_a_store_when_a_status_is_recorded_then_status_json_and_the_journal_have_it_with_its_collected_files()
    {
        // Given
        WriteRun(2);
        var ended = Status("j1", JobState.Succeeded) with { ExitCode = 0, EndedAt = DateTimeOffset.UnixEpoch.AddMinutes(1), Collected = ["e/flat/j1.csv"] };

        // When
        using (var store = RunStore.TryOpen(RunDir, TimeProvider.System, out _)!)
        {
            // As recorded: the end of a job that ran comes back with the bytes it left (OutputBytes).
            var recorded = store.Record(store.Find("j1")!, ended);
            recorded.ShouldBe(ended with { OutputBytes = recorded.OutputBytes });
            recorded.OutputBytes.ShouldNotBeNull();
            store.Status(store.Find("j1")!).ShouldBeSameAs(recorded);
            store.Manifest.Flush();
            store.IsSaved.ShouldBeTrue();
            // Then: the change is a journal line (opening wrote the replayed manifest whole); manifest.json is not rewritten
            File.ReadAllLines(RunFiles.JournalPath(RunDir)).Length.ShouldBe(1);
            JsonFiles.Read<RunManifest>(RunFiles.ManifestPath(RunDir))!.Jobs[1].State.ShouldBe(JobState.Running);
        }

        // Then
        RunFiles.ReadStatus(Path.Combine(RunDir, "j1"))!.State.ShouldBe(JobState.Succeeded);
        var line = ManifestStore.Read(RunDir)!.Jobs.Single(j => j.Id == "j1");
        line.State.ShouldBe(JobState.Succeeded);
        line.Ended.ShouldBe(ended.EndedAt);
        line.Collected.ShouldBe(["e/flat/j1.csv"]);
        RunLock.IsHeld(RunDir).ShouldBeFalse();
    }

    [TmpfsFact]
    public void Given_a_runners_store_on_a_full_disk_when_a_status_is_recorded_then_the_fault_is_kept_the_manifest_has_it_and_RetryUnsaved_writes_it_once_there_is_space()
    {
        // Given: a run on a real small file system, opened as a runner opens it (failed writes are values)
        using var disk = new Tmpfs(_dir.Combine("disk"), "256k");
        var runDir = Path.Combine(disk.Path, "run");
        var faults = new WriteFaults();
        var runLock = RunLock.TryAcquire(Directory.CreateDirectory(runDir).FullName, out _)!;
        var manifest = Manifest(runDir, 2);
        using var store = new RunStore(runDir, runLock, new ManifestStore(runDir, manifest, TimeProvider.System, faults), new RunLog(runDir, TimeProvider.System, faults), faults, manifest.Jobs);
        Directory.CreateDirectory(Path.Combine(runDir, "j0"));
        disk.Fill();
        var status = Status("j0", JobState.Running);

        // When
        store.Record(store.Find("j0")!, status);

        // Then: nothing thrown; the fault names status.json; the store and the manifest have the status
        var path = RunFiles.StatusPath(Path.Combine(runDir, "j0"));
        faults.First.ShouldNotBeNull();
        faults.First.Path.ShouldBe(path);
        faults.First.DiskFull.ShouldBeTrue();
        File.Exists(path).ShouldBeFalse();
        store.IsSaved.ShouldBeFalse();
        store.Status(store.Find("j0")!).ShouldBeSameAs(status);
        store.Manifest.Find("j0")!.State.ShouldBe(JobState.Running);
        store.RetryUnsaved().ShouldBeFalse();

        // And once there is space
        File.Delete(Path.Combine(disk.Path, "filler"));
        store.RetryUnsaved().ShouldBeTrue();
        RunFiles.ReadStatus(Path.Combine(runDir, "j0"))!.State.ShouldBe(JobState.Running);
        store.Manifest.Flush();
        store.IsSaved.ShouldBeTrue();
    }

    [TmpfsFact]
    public void Given_a_commands_store_on_a_full_disk_when_a_status_is_recorded_then_the_write_throws()
    {
        // Given
        using var disk = new Tmpfs(_dir.Combine("disk"), "256k");
        var runDir = Path.Combine(disk.Path, "run");
        new ManifestStore(runDir, Manifest(runDir, 1), TimeProvider.System).Dispose();
        Directory.CreateDirectory(Path.Combine(runDir, "j0"));
        using var store = RunStore.TryOpen(runDir, TimeProvider.System, out _)!;
        disk.Fill();

        // When / Then
        Should.Throw<IOException>(() => store.Record(store.Find("j0")!, Status("j0", JobState.Cancelled)));
    }
}
