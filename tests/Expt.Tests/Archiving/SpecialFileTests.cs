using System.Diagnostics;
using Expt.Archiving;
using Expt.Recording;

namespace Expt.Tests.Archiving;

/// <summary>Archive reads and copies regular files only: a real FIFO in a job directory is never opened.</summary>
public sealed class SpecialFileTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    // Far longer than archiving this small run takes on a loaded machine; only a hang reaches it.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new("expt-fifo");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string ArchiveRoot => _dir.Combine("archive");

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        mkfifo.ExitCode.ShouldBe(0);
    }

    /// <summary>Archives on another thread; a hang fails the test, after the FIFOs are given a writer so the thread ends.</summary>
    private static async Task<ArchiveResult> ArchiveWithinBound(ArchiveRequest request, params string[] fifos)
    {
        var archiving = Task.Run(() => new Archiver().Archive(request));
        try
        {
            return await archiving.WaitAsync(Hang);
        }
        catch (TimeoutException)
        {
            foreach (var fifo in fifos) _ = Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write).Dispose());
            throw new ShouldAssertException($"archive did not finish within {Hang.TotalSeconds} s: it opened a FIFO");
        }
    }

    [Fact]
    public async Task Given_fifos_in_a_job_directory_when_archived_with_a_drop_then_they_are_skipped_with_a_warning_naming_them_and_never_opened()
    {
        // Given: a FIFO, and one with a .json name that --drop '*.json' would otherwise sniff for an Inspect log.
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        var pipe = Path.Combine(run, "v0", "pipe");
        var events = Path.Combine(run, "v0", "events.json");
        MakeFifo(pipe);
        MakeFifo(events);

        // When
        var dry = await ArchiveWithinBound(new ArchiveRequest(run, ArchiveRoot, ["*.json"], DryRun: true), pipe, events);
        var result = await ArchiveWithinBound(new ArchiveRequest(run, ArchiveRoot, ["*.json"]), pipe, events);

        // Then
        dry.Outcome.ShouldBe(ArchiveOutcome.DryRun, dry.Error);
        result.Outcome.ShouldBe(ArchiveOutcome.Archived, result.Error);
        foreach (var warnings in new[] { dry.Warnings, result.Warnings })
        {
            warnings.ShouldContain(w => w.StartsWith("v0/pipe is not a regular file", StringComparison.Ordinal));
            warnings.ShouldContain(w => w.StartsWith("v0/events.json is not a regular file", StringComparison.Ordinal));
        }
        result.Plan!.Skipped.Select(e => e.RelativePath).ShouldBe(["v0/events.json", "v0/pipe"]);
        result.Plan.KeptFiles.ShouldNotContain(e => e.RelativePath == "v0/pipe");
        result.Plan.DroppedFiles.ShouldNotContain(e => e.RelativePath == "v0/events.json");
        var archived = Path.Combine(ArchiveRoot, FakeRun.Experiment, "r1");
        File.Exists(Path.Combine(archived, "v0", "metrics.json")).ShouldBeTrue();
        Path.Exists(Path.Combine(archived, "v0", "pipe")).ShouldBeFalse();
        Directory.Exists(run).ShouldBeFalse();
    }
}
