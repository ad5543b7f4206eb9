using Expt.Archiving;
using Expt.Recording;
using Expt.Results;

namespace Expt.Tests.Archiving;

public sealed class ArchiverTests : IDisposable
{
    private static readonly DateTimeOffset Created = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("expt-archiver");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string ArchiveRoot => _dir.Combine("archive");

    private string Destination => Path.Combine(ArchiveRoot, FakeRun.Experiment, "r1");

    private static ArchiveResult Archive(ArchiveRequest request, IFileCopier? copier = null) =>
        new Archiver(copier ?? FileCopier.Instance, TimeProvider.System).Archive(request);

    private static string[] Tree(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Given_a_finished_run_when_archived_with_a_drop_then_the_checkpoint_is_left_out_the_pointer_is_written_and_the_original_is_gone()
    {
        // Given
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded, JobState.Failed);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, ["**/checkpoint-*", "*.json"]));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Archived, result.Error);
        Directory.Exists(run).ShouldBeFalse();
        Directory.GetDirectories(Results, ".deleting-*").ShouldBeEmpty();
        var tree = Tree(Destination);
        tree.ShouldContain("v0/config.json");
        tree.ShouldContain("v0/metrics.json");
        tree.ShouldContain("v1/stdout.log");
        tree.ShouldContain("v0/.expt/job.sh");
        tree.ShouldContain("v0/notes.txt");
        tree.ShouldNotContain(p => p.Contains("checkpoint", StringComparison.Ordinal));
        result.Plan!.DroppedBytes.ShouldBe(2 * 5000);
        result.Plan.Protected.Select(e => e.RelativePath).ShouldContain("v0/metrics.json");
        var pointer = ArchivePointer.TryRead(ArchivePointer.PathFor(run));
        pointer.ShouldNotBeNull();
        pointer.ArchivedTo.ShouldBe(Destination);
        pointer.DroppedFiles.ShouldBe(["v0/checkpoint-100/model.pt", "v1/checkpoint-100/model.pt"]);
        var read = RunReader.Read(ArchivePointer.PathFor(run), out var problem);
        read.ShouldNotBeNull(problem);
        read.Archive.ShouldNotBeNull();
        read.Jobs.Select(j => j.State).ShouldBe([JobState.Succeeded, JobState.Failed]);
        RunReader.Locate(Results, "r1", null, out _).ShouldBe(ArchivePointer.PathFor(run));
    }

    [Fact]
    public void Given_a_copier_that_fails_when_archiving_then_nothing_is_deleted_and_the_partial_copy_is_removed()
    {
        // Given
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded, JobState.Succeeded);
        var before = Tree(run);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, []), new FailingCopier("v1/stdout.log"));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Failed);
        result.Error!.ShouldContain("v1/stdout.log");
        AssertUntouched(run, before);
    }

    [Fact]
    public void Given_a_copier_that_writes_wrong_bytes_when_archiving_then_verification_fails_and_nothing_is_deleted()
    {
        // Given
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        var before = Tree(run);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, []), new CorruptingCopier("v0/metrics.json"));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Failed);
        result.Error!.ShouldContain("verification failed for v0/metrics.json");
        result.Error!.ShouldContain("SHA-256");
        AssertUntouched(run, before);
    }

    [Fact]
    public void Given_a_copier_that_truncates_when_archiving_then_the_size_check_fails_and_nothing_is_deleted()
    {
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        var before = Tree(run);

        var result = Archive(new ArchiveRequest(run, ArchiveRoot, []), new CorruptingCopier("spec.yaml", truncate: true));

        result.Outcome.ShouldBe(ArchiveOutcome.Failed);
        result.Error!.ShouldContain("verification failed for spec.yaml");
        AssertUntouched(run, before);
    }

    [Fact]
    public void Given_a_destination_that_exists_and_differs_when_archiving_then_it_is_refused_and_nothing_changes()
    {
        // Given
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        FakeRun.Write(Destination, "manifest.json", "{}");
        var before = Tree(run);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, []));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Refused);
        result.Error!.ShouldContain("already exists");
        Tree(run).ShouldBe(before);
        Tree(Destination).ShouldBe(["manifest.json"]);
        File.Exists(ArchivePointer.PathFor(run)).ShouldBeFalse();
    }

    [Fact]
    public void Given_an_identical_copy_at_the_destination_when_archiving_then_it_is_reused_and_the_archive_finishes()
    {
        // Given: an earlier archive copied and verified, then died before deleting the original.
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        CopyTree(run, Destination);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, []));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Archived, result.Error);
        result.ReusedIdenticalCopy.ShouldBeTrue();
        Directory.Exists(run).ShouldBeFalse();
        File.Exists(ArchivePointer.PathFor(run)).ShouldBeTrue();
    }

    [Fact]
    public void Given_an_incomplete_run_when_archived_without_force_then_it_is_refused_and_with_force_it_is_archived()
    {
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded, JobState.Pending);

        var refused = Archive(new ArchiveRequest(run, ArchiveRoot, []));
        var forced = Archive(new ArchiveRequest(run, ArchiveRoot, [], Force: true));

        refused.Outcome.ShouldBe(ArchiveOutcome.Refused);
        refused.Error!.ShouldContain("1 of 2 job(s) have not finished (1 pending)");
        forced.Outcome.ShouldBe(ArchiveOutcome.Archived, forced.Error);
    }

    [Fact]
    public void Given_a_run_held_by_a_live_runner_when_archived_even_with_force_then_it_is_refused()
    {
        var run = FakeRun.Create(Results, "r1", Created, JobState.Running);
        using var runner = RunLock.TryAcquire(run, out _);
        runner.ShouldNotBeNull();

        var result = Archive(new ArchiveRequest(run, ArchiveRoot, [], Force: true));

        result.Outcome.ShouldBe(ArchiveOutcome.Refused);
        result.Error!.ShouldContain("in use by a runner");
        Directory.Exists(ArchiveRoot).ShouldBeFalse();
    }

    [Fact]
    public void Given_a_dry_run_when_archiving_then_the_plan_has_the_sizes_and_nothing_changes()
    {
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        var before = Tree(run);

        var result = Archive(new ArchiveRequest(run, ArchiveRoot, ["*.pt"], DryRun: true));

        result.Outcome.ShouldBe(ArchiveOutcome.DryRun);
        result.Plan!.DroppedFiles.Select(e => e.RelativePath).ShouldBe(["v0/checkpoint-100/model.pt"]);
        result.Plan.DroppedBytes.ShouldBe(5000);
        result.Plan.KeptBytes.ShouldBeGreaterThan(0);
        Tree(run).ShouldBe(before);
        Directory.Exists(ArchiveRoot).ShouldBeFalse();
    }

    [Fact]
    public void Given_a_symlink_to_a_directory_outside_the_run_when_archived_then_it_is_copied_as_a_link_and_not_followed()
    {
        // Given
        var run = FakeRun.Create(Results, "r1", Created, JobState.Succeeded);
        var shared = _dir.File("datasets/big/data.bin", new string('d', 10_000));
        Directory.CreateSymbolicLink(Path.Combine(run, "v0", "data"), Path.GetDirectoryName(shared)!);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, []));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Archived, result.Error);
        result.Plan!.KeptBytes.ShouldBeLessThan(10_000);
        new DirectoryInfo(Path.Combine(Destination, "v0", "data")).LinkTarget.ShouldBe(Path.GetDirectoryName(shared));
        File.Exists(shared).ShouldBeTrue();
    }

    private void AssertUntouched(string run, string[] before)
    {
        Tree(run).ShouldBe(before);
        File.Exists(ArchivePointer.PathFor(run)).ShouldBeFalse();
        Directory.Exists(Destination).ShouldBeFalse();
        Directory.GetDirectories(Path.Combine(ArchiveRoot, FakeRun.Experiment)).ShouldBeEmpty("the partial copy must be removed");
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Fails on one file, as a full disk or an I/O error would.</summary>
    private sealed class FailingCopier(string failOn) : IFileCopier
    {
        public CopiedFile Copy(string source, string destination, CancellationToken cancellationToken) =>
            source.Replace('\\', '/').EndsWith(failOn, StringComparison.Ordinal)
                ? throw new IOException("No space left on device")
                : FileCopier.Instance.Copy(source, destination, cancellationToken);
    }

    /// <summary>Copies, then damages one copy (flips a byte, or truncates it) while reporting the source's checksum.</summary>
    private sealed class CorruptingCopier(string corrupt, bool truncate = false) : IFileCopier
    {
        public CopiedFile Copy(string source, string destination, CancellationToken cancellationToken)
        {
            var copied = FileCopier.Instance.Copy(source, destination, cancellationToken);
            if (!source.Replace('\\', '/').EndsWith(corrupt, StringComparison.Ordinal)) return copied;
            var bytes = File.ReadAllBytes(destination);
            if (truncate) bytes = bytes[..^1];
            else bytes[0] ^= 0xFF;
            File.WriteAllBytes(destination, bytes);
            return copied;
        }
    }
}
