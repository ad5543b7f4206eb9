using Expt.Execution;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>Every executor's end of a job goes through <see cref="RunStore.Record"/>, which records the bytes the job left.</summary>
public sealed class RunStoreOutputBytesTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-store-size");

    public void Dispose() => _dir.Dispose();

    private string RunDir => _dir.Combine("run");

    /// <summary>A run of a merge job <c>m</c> and its shard <c>m/shard-0</c>, both running.</summary>
    private RunStore OpenRun()
    {
        Directory.CreateDirectory(RunDir);
        var manifest = new RunManifest
        {
            Experiment = "e",
            RunId = "run",
            Git = GitInfo.None,
            Jobs =
            [
                new ManifestJob { Id = "m/shard-0", Variant = "m", Stage = "main", Dir = "m/shard-0" },
                new ManifestJob { Id = "m", Variant = "m", Stage = "main", Dir = "m" },
            ],
        };
        using (new ManifestStore(RunDir, manifest, TimeProvider.System))
        {
        }
        foreach (var job in manifest.Jobs)
        {
            Directory.CreateDirectory(Path.Combine(RunDir, job.Dir));
            JsonFiles.Write(RunFiles.StatusPath(Path.Combine(RunDir, job.Dir)), Running(job.Id));
        }
        return RunStore.TryOpen(RunDir, TimeProvider.System, out var problem) ?? throw new InvalidOperationException(problem);
    }

    private static JobStatus Running(string id) => new()
    {
        Id = id,
        Variant = "m",
        Stage = "main",
        State = JobState.Running,
        Attempts = [new AttemptRecord { Attempt = 1, State = JobState.Running, StartedAt = DateTimeOffset.UnixEpoch }],
    };

    private static JobStatus Ended(JobStatus status, JobState state)
    {
        var attempt = status.Attempts[^1] with { State = state, EndedAt = DateTimeOffset.UnixEpoch.AddSeconds(5), ExitCode = 0 };
        return JobTransitions.Ended(status, [.. status.Attempts.SkipLast(1), attempt], null);
    }

    [Fact]
    public void Given_a_running_job_when_its_end_is_recorded_then_status_json_has_the_bytes_under_its_directory_without_its_nested_shards()
    {
        // Given
        using var store = OpenRun();
        File.WriteAllBytes(Path.Combine(RunDir, "m", "merged.bin"), new byte[10_000]);
        File.WriteAllBytes(Path.Combine(RunDir, "m", "shard-0", "part.bin"), new byte[50_000]);
        var merge = store.Find("m")!;
        var statusBytes = new FileInfo(RunFiles.StatusPath(Path.Combine(RunDir, "m"))).Length;

        // When
        var recorded = store.Record(merge, Ended(store.Status(merge), JobState.Succeeded));

        // Then: its file, and its own status.json as it was when it ended; not the shard's 50,000 bytes.
        recorded.OutputBytes.ShouldBe(10_000 + statusBytes);
        RunFiles.ReadStatus(Path.Combine(RunDir, "m"))!.OutputBytes.ShouldBe(10_000 + statusBytes);
    }

    [Fact]
    public void Given_a_job_whose_end_was_recorded_when_it_is_recorded_again_then_the_first_measure_stays_and_a_new_attempt_clears_it()
    {
        // Given
        using var store = OpenRun();
        var shard = store.Find("m/shard-0")!;
        var ended = store.Record(shard, Ended(store.Status(shard), JobState.Failed));
        var first = ended.OutputBytes;
        first.ShouldNotBeNull();

        // When: more files appear and the same end is recorded again (a status refresh), then a retry starts.
        File.WriteAllBytes(Path.Combine(RunDir, "m", "shard-0", "late.bin"), new byte[7_000]);
        var again = store.Record(shard, ended with { Reason = "exit code 1 (again)", OutputBytes = null });
        var retried = store.Record(shard, JobTransitions.Started(again, again.Attempts, new AttemptRecord { Attempt = 2, StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(9) }, null));

        // Then
        again.OutputBytes.ShouldBe(first);
        retried.OutputBytes.ShouldBeNull();
        var statusBytes = new FileInfo(RunFiles.StatusPath(Path.Combine(RunDir, "m", "shard-0"))).Length;
        store.Record(shard, Ended(retried, JobState.Succeeded)).OutputBytes.ShouldBe(7_000 + statusBytes);
    }

    [Fact]
    public void Given_a_job_that_never_started_when_it_is_blocked_then_nothing_is_measured()
    {
        // Given
        using var store = OpenRun();
        var merge = store.Find("m")!;

        // When
        var blocked = store.Record(merge, JobTransitions.EndedUnstarted(store.Status(merge) with { Attempts = [] }, JobState.Blocked, "needs m/shard-0", DateTimeOffset.UnixEpoch));

        // Then
        blocked.OutputBytes.ShouldBeNull();
    }
}
