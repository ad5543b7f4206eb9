using Expt.Archiving;
using Expt.Internal;
using Expt.Recording;
using Expt.Results;

namespace Expt.Tests.Archiving;

/// <summary>Clean and archive never delete through a symbolic link: every shape of link, made for real.</summary>
public sealed class SymlinkSafetyTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("expt-links");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string Elsewhere => _dir.Combine("elsewhere");

    private string ArchiveRoot => _dir.Combine("archive");

    private static string[] Tree(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => $"{Path.GetRelativePath(dir, f)}={File.ReadAllText(f).Length}")
            .Order(StringComparer.Ordinal).ToArray();

    private static ArchiveResult Archive(ArchiveRequest request) => new Archiver().Archive(request);

    private static IReadOnlyList<CleanCandidate> FindFailed(string results) =>
        RunCleaner.Find(results, new CleanCriteria(Failed: true), Now, out _);

    /// <summary>A failed run created outside the results root and linked back into it, as a researcher short of space does.</summary>
    private (string Link, string Real) RunLinkedFromOutside()
    {
        var real = FakeRun.Create(Elsewhere, "bad", Now.AddDays(-1), JobState.Failed);
        var link = Path.Combine(Results, FakeRun.Experiment, "bad");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        Directory.CreateSymbolicLink(link, real);
        return (link, real);
    }

    [Fact]
    public void Given_a_run_directory_that_is_a_link_to_outside_the_root_when_cleaned_then_it_is_kept_with_the_reason_and_nothing_outside_changes()
    {
        // Given
        var (link, real) = RunLinkedFromOutside();
        var before = Tree(real);

        // When
        var candidate = FindFailed(Results).Single();
        var problem = RunCleaner.Delete(candidate);

        // Then
        candidate.Skipped.ShouldNotBeNull();
        candidate.Skipped.ShouldContain("the run directory is a symbolic link (to " + real + ")");
        candidate.Skipped.ShouldContain("clean never deletes through a link");
        candidate.Bytes.ShouldBe(0, "nothing under the root would be freed");
        problem.ShouldBe(candidate.Skipped);
        Tree(real).ShouldBe(before);
        new DirectoryInfo(link).LinkTarget.ShouldBe(real);
    }

    [Fact]
    public void Given_a_run_reached_through_a_link_when_removed_directly_then_the_remover_refuses_and_the_real_run_keeps_its_manifest()
    {
        // Given
        var (link, real) = RunLinkedFromOutside();
        var before = Tree(real);

        // When / Then: the last line of defence, whoever calls it.
        Should.Throw<IOException>(() => RunRemover.Remove(link)).Message.ShouldContain("never deleted through a link");
        Tree(real).ShouldBe(before);
        Directory.GetDirectories(Results, ".deleting-*").ShouldBeEmpty();
    }

    [Fact]
    public void Given_an_experiment_directory_that_is_a_link_to_outside_the_root_when_cleaned_then_its_runs_are_kept_and_nothing_outside_changes()
    {
        // Given
        var real = FakeRun.Create(Elsewhere, "bad", Now.AddDays(-1), JobState.Failed);
        Directory.CreateDirectory(Results);
        Directory.CreateSymbolicLink(Path.Combine(Results, FakeRun.Experiment), Path.GetDirectoryName(real)!);
        var before = Tree(real);

        // When
        var candidate = FindFailed(Results).Single();
        var problem = RunCleaner.Delete(candidate);

        // Then
        candidate.Skipped!.ShouldContain($"its experiment directory {FakeRun.Experiment} is a symbolic link");
        problem.ShouldNotBeNull();
        Tree(real).ShouldBe(before);
        Should.Throw<IOException>(() => RunRemover.Remove(candidate.Directory));
        Tree(real).ShouldBe(before);
    }

    [Fact]
    public void Given_a_run_holding_links_to_outside_when_cleaned_then_the_run_and_its_links_are_gone_and_what_they_point_at_stays()
    {
        // Given: a job directory that is a link, a directory link and a file link inside a job, all to outside.
        var run = FakeRun.Create(Results, "bad", Now.AddDays(-1), JobState.Failed, JobState.Succeeded);
        var outsideJob = Path.Combine(Elsewhere, "v1");
        Directory.CreateDirectory(Elsewhere);
        Directory.Move(Path.Combine(run, "v1"), outsideJob);
        Directory.CreateSymbolicLink(Path.Combine(run, "v1"), outsideJob);
        var dataset = _dir.File("datasets/train/part-0.bin", new string('d', 3000));
        Directory.CreateSymbolicLink(Path.Combine(run, "v0", "data"), Path.GetDirectoryName(dataset)!);
        var weights = _dir.File("models/base.pt", new string('w', 2000));
        File.CreateSymbolicLink(Path.Combine(run, "v0", "base.pt"), weights);
        var outsideBefore = Tree(outsideJob);

        // When
        var candidate = FindFailed(Results).Single();
        var problem = RunCleaner.Delete(candidate);

        // Then
        problem.ShouldBeNull();
        Directory.Exists(run).ShouldBeFalse();
        Tree(outsideJob).ShouldBe(outsideBefore);
        File.ReadAllText(dataset).Length.ShouldBe(3000);
        File.ReadAllText(weights).Length.ShouldBe(2000);
        // v0's own files are under 6000 bytes; counting any link's target (2000, 3000, or v1's) would pass 7000.
        candidate.Bytes.ShouldBeLessThan(7000, "links are not counted as freed");
    }

    [Fact]
    public void Given_collected_files_recorded_outside_the_root_or_as_links_when_cleaned_then_only_the_inside_file_and_the_link_itself_are_deleted()
    {
        // Given: a run whose status says collect: moved four files: one real, one link to outside, one recorded as a
        // path out of the root, and one in a flat folder reached through a link.
        var run = FakeRun.Create(Results, "bad", Now.AddDays(-1), JobState.Failed);
        var experimentDir = Path.Combine(Results, FakeRun.Experiment);
        var inside = _dir.File("results/exp/nogit_v0_log.json", "{}");
        var secret = _dir.File("private/secret.txt", "keep me");
        File.CreateSymbolicLink(Path.Combine(experimentDir, "nogit_v0_link.json"), secret);
        Directory.CreateSymbolicLink(Path.Combine(experimentDir, "shared"), Path.GetDirectoryName(secret)!);
        var status = JsonFiles.Read<JobStatus>(Path.Combine(run, "v0", JobStatus.FileName))!;
        JsonFiles.Write(Path.Combine(run, "v0", JobStatus.FileName), status with
        {
            Collected = ["exp/nogit_v0_log.json", "exp/nogit_v0_link.json", "../private/secret.txt", "exp/shared/secret.txt"],
        });

        // When
        var candidate = FindFailed(Results).Single();
        var problem = RunCleaner.Delete(candidate);

        // Then
        problem.ShouldBeNull();
        File.Exists(inside).ShouldBeFalse();
        File.Exists(Path.Combine(experimentDir, "nogit_v0_link.json")).ShouldBeFalse();
        new FileInfo(Path.Combine(experimentDir, "nogit_v0_link.json")).LinkTarget.ShouldBeNull("the link itself is deleted");
        File.ReadAllText(secret).ShouldBe("keep me");
        candidate.CollectedFiles.ShouldNotBeNull();
        candidate.CollectedFiles.Select(Path.GetFileName).ShouldBe(["nogit_v0_log.json", "nogit_v0_link.json"], ignoreOrder: true);
    }

    [Fact]
    public void Given_a_run_directory_that_is_a_link_to_outside_the_root_when_archived_even_with_force_then_it_is_refused_and_nothing_outside_changes()
    {
        // Given
        var (link, real) = RunLinkedFromOutside();
        var before = Tree(real);

        // When
        var dry = Archive(new ArchiveRequest(link, ArchiveRoot, [], DryRun: true));
        var forced = Archive(new ArchiveRequest(link, ArchiveRoot, [], Force: true));

        // Then
        dry.Outcome.ShouldBe(ArchiveOutcome.Refused);
        forced.Outcome.ShouldBe(ArchiveOutcome.Refused);
        forced.Error!.ShouldContain("the run directory is a symbolic link");
        forced.Error!.ShouldContain("archive never deletes through a link");
        Tree(real).ShouldBe(before, "not even the lock's info file is rewritten through the link");
        Directory.Exists(ArchiveRoot).ShouldBeFalse();
        File.Exists(ArchivePointer.PathFor(link)).ShouldBeFalse();
    }

    [Fact]
    public void Given_an_experiment_directory_that_is_a_link_to_outside_the_root_when_archived_then_it_is_refused()
    {
        var real = FakeRun.Create(Elsewhere, "done", Now.AddDays(-1), JobState.Succeeded);
        Directory.CreateDirectory(Results);
        Directory.CreateSymbolicLink(Path.Combine(Results, FakeRun.Experiment), Path.GetDirectoryName(real)!);
        var before = Tree(real);

        var result = Archive(new ArchiveRequest(Path.Combine(Results, FakeRun.Experiment, "done"), ArchiveRoot, []));

        result.Outcome.ShouldBe(ArchiveOutcome.Refused);
        result.Error!.ShouldContain("is a symbolic link");
        Tree(real).ShouldBe(before);
    }

    [Fact]
    public void Given_a_run_holding_a_job_directory_and_a_file_that_link_outside_when_archived_then_the_links_are_copied_as_links_and_their_targets_stay()
    {
        // Given
        var run = FakeRun.Create(Results, "done", Now.AddDays(-1), JobState.Succeeded, JobState.Succeeded);
        var outsideJob = Path.Combine(Elsewhere, "v1");
        Directory.CreateDirectory(Elsewhere);
        Directory.Move(Path.Combine(run, "v1"), outsideJob);
        Directory.CreateSymbolicLink(Path.Combine(run, "v1"), outsideJob);
        var weights = _dir.File("models/base.pt", new string('w', 2000));
        File.CreateSymbolicLink(Path.Combine(run, "v0", "base.pt"), weights);
        var outsideBefore = Tree(outsideJob);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, [], Force: true));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Archived, result.Error);
        Directory.Exists(run).ShouldBeFalse();
        Tree(outsideJob).ShouldBe(outsideBefore);
        File.ReadAllText(weights).Length.ShouldBe(2000);
        var archived = Path.Combine(ArchiveRoot, FakeRun.Experiment, "done");
        new DirectoryInfo(Path.Combine(archived, "v1")).LinkTarget.ShouldBe(outsideJob);
        new FileInfo(Path.Combine(archived, "v0", "base.pt")).LinkTarget.ShouldBe(weights);
    }

    /// <summary>A run whose own <c>.expt/</c> (its lock and the lock's info) was moved outside the root and linked back.</summary>
    private (string Run, string OutsideExpt) RunWithExptLinkedOut(string runId, JobState state)
    {
        var run = FakeRun.Create(Results, runId, Now.AddDays(-1), state);
        var outside = Path.Combine(Elsewhere, ".expt");
        Directory.CreateDirectory(Elsewhere);
        Directory.Move(Path.Combine(run, ".expt"), outside);
        Directory.CreateSymbolicLink(Path.Combine(run, ".expt"), outside);
        return (run, outside);
    }

    [Fact]
    public void Given_a_run_whose_expt_folder_links_outside_when_archived_then_it_is_refused_naming_the_link_and_the_lock_info_outside_is_untouched()
    {
        // Given
        var (run, outside) = RunWithExptLinkedOut("done", JobState.Succeeded);
        var before = Tree(outside);

        // When
        var result = Archive(new ArchiveRequest(run, ArchiveRoot, [], Force: true));

        // Then
        result.Outcome.ShouldBe(ArchiveOutcome.Refused);
        result.Error!.ShouldStartWith($"{Path.Combine(run, ".expt")} is a symbolic link (to {outside})");
        Tree(outside).ShouldBe(before, "taking the lock would have rewritten run.lock.info out there");
        Directory.Exists(run).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_run_whose_expt_folder_links_outside_when_cleaned_then_it_is_kept_naming_the_link_and_nothing_outside_changes()
    {
        // Given
        var (run, outside) = RunWithExptLinkedOut("bad", JobState.Failed);
        var before = Tree(outside);

        // When
        var candidate = FindFailed(Results).Single();
        var problem = RunCleaner.Delete(candidate);

        // Then
        candidate.Skipped.ShouldNotBeNull();
        candidate.Skipped.ShouldStartWith($"{Path.Combine(run, ".expt")} is a symbolic link (to {outside})");
        problem.ShouldBe(candidate.Skipped);
        Tree(outside).ShouldBe(before);
        Directory.Exists(run).ShouldBeTrue();
    }
}
