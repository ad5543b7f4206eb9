using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>The run's writers when a write fails: the fault is kept, nothing throws, and nothing is left half written.</summary>
public sealed class WriteFaultTests : IDisposable
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
    public void Given_the_message_of_a_failed_atomic_write_when_made_a_fault_then_it_names_the_file_being_replaced_and_says_disk_full()
    {
        // Given: what .NET throws for ENOSPC while writing an atomic write's temporary file
        var exception = new IOException("No space left on device : '/r/v1/.status.json.4242.0123456789abcdef0123456789abcdef.tmp'", 28);

        // When
        var fault = WriteFault.From(null, exception);

        // Then
        fault.ShouldBe(new WriteFault("/r/v1/status.json", "No space left on device", DiskFull: true));
        fault.Describe().ShouldBe("disk full: cannot write /r/v1/status.json (No space left on device)");
    }

    [Fact]
    public void Given_a_journal_that_cannot_be_appended_when_flushed_then_the_fault_is_kept_and_the_next_flush_appends_the_lines_whole()
    {
        // Given: something in the way of the journal
        var faults = new WriteFaults();
        using var store = new ManifestStore(_dir.Path, Manifest(3), TimeProvider.System, faults);
        var journal = Path.Combine(_dir.Path, ManifestStore.JournalFileName);
        Directory.CreateDirectory(journal);
        store.Update(store.Find("j1")! with { State = JobState.Succeeded, Attempts = 1 });

        // When
        store.Flush();

        // Then
        faults.First.ShouldNotBeNull();
        faults.First.Path.ShouldBe(journal);
        store.IsCurrent.ShouldBeFalse();

        // And once it is out of the way
        Directory.Delete(journal);
        store.Update(store.Find("j2")! with { State = JobState.Failed, Attempts = 1 });
        store.Flush();
        store.IsCurrent.ShouldBeTrue();
        File.ReadAllLines(journal).Length.ShouldBe(2);
        var read = ManifestStore.Read(_dir.Path)!;
        read.Jobs.Select(j => j.State).ShouldBe([JobState.Pending, JobState.Succeeded, JobState.Failed]);
    }

    [Fact]
    public void Given_a_final_manifest_that_cannot_be_written_when_completed_then_a_later_flush_writes_it()
    {
        // Given
        var faults = new WriteFaults();
        using var store = new ManifestStore(_dir.Path, Manifest(2), TimeProvider.System, faults);
        store.Update(store.Find("j0")! with { State = JobState.Succeeded, Attempts = 1 });
        var manifest = Path.Combine(_dir.Path, RunManifest.FileName);
        File.Delete(manifest);
        Directory.CreateDirectory(manifest);

        // When
        store.Complete(DateTimeOffset.UnixEpoch);

        // Then
        faults.First!.Path.ShouldBe(manifest);
        store.IsCurrent.ShouldBeFalse();
        Directory.Delete(manifest);
        store.Flush();
        store.IsCurrent.ShouldBeTrue();
        var read = ManifestStore.Read(_dir.Path)!;
        read.Ended.ShouldBe(DateTimeOffset.UnixEpoch);
        read.Jobs[0].State.ShouldBe(JobState.Succeeded);
    }

    [TmpfsFact]
    public void Given_a_disk_that_fills_in_the_middle_of_a_run_log_entry_when_appended_then_no_half_entry_is_left_and_it_lands_whole_once_there_is_space()
    {
        // Given: a tmpfs with one free page, and an entry of several pages
        using var disk = new Tmpfs(_dir.Combine("disk"), "64k");
        var faults = new WriteFaults();
        var log = new RunLog(disk.Path, TimeProvider.System, faults);
        log.Write("RUN_START", "first");
        disk.Fill();
        using (var filler = new FileStream(Path.Combine(disk.Path, "filler"), FileMode.Open))
        {
            filler.SetLength(filler.Length - 4096);
        }
        var before = File.ReadAllText(Path.Combine(disk.Path, RunLog.FileName));
        var big = new string('x', 12_000);

        // When
        log.Write("JOB_END", big);

        // Then
        faults.First.ShouldNotBeNull();
        faults.First.DiskFull.ShouldBeTrue();
        faults.First.Path.ShouldBe(Path.Combine(disk.Path, RunLog.FileName));
        File.ReadAllText(Path.Combine(disk.Path, RunLog.FileName)).ShouldBe(before);
        log.IsCurrent.ShouldBeFalse();

        // And once there is space, the kept entry and the next one land in order
        File.Delete(Path.Combine(disk.Path, "filler"));
        log.Write("RUN_END", "last");
        log.IsCurrent.ShouldBeTrue();
        var lines = File.ReadAllLines(Path.Combine(disk.Path, RunLog.FileName));
        lines.Select(l => l[22..].Split(':')[0]).ShouldBe(["RUN_START", "JOB_END", "RUN_END"]);
        lines[1].ShouldEndWith(big);
    }
}
