using Expt.Internal;
using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>Expt's writers never write through a symbolic link in a run: real links to a real "elsewhere".</summary>
public sealed class RunLinksTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-runlinks");

    public void Dispose() => _dir.Dispose();

    private string Run => _dir.Combine("results", "exp", "run");

    private string Elsewhere => _dir.Combine("elsewhere");

    private static string[] Tree(string dir) =>
        Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Select(f => File.Exists(f) ? $"{Path.GetRelativePath(dir, f)}={File.ReadAllText(f)}" : Path.GetRelativePath(dir, f) + "/")
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>The run's <c>.expt/</c> moved to another disk and linked back, with an old lock file there.</summary>
    private void ExptFolderLinkedOut()
    {
        _dir.File("elsewhere/run.lock.info", "someone else's notes");
        Directory.CreateDirectory(Run);
        Directory.CreateSymbolicLink(Path.Combine(Run, ".expt"), Elsewhere);
    }

    [Fact]
    public void Given_a_runs_expt_folder_that_is_a_link_to_outside_when_its_lock_is_taken_then_it_is_refused_naming_the_link_and_nothing_is_written_there()
    {
        // Given
        ExptFolderLinkedOut();
        var before = Tree(Elsewhere);

        // When
        var refused = Should.Throw<IOException>(() => RunLock.TryAcquire(Run, out _));

        // Then
        refused.Message.ShouldStartWith($"{Path.Combine(Run, ".expt")} is a symbolic link (to {Elsewhere})");
        refused.Message.ShouldContain("never writes a run's own files through a link");
        Tree(Elsewhere).ShouldBe(before);
    }

    [Fact]
    public void Given_run_lock_info_that_is_a_link_to_a_file_outside_when_the_lock_is_taken_then_the_file_keeps_its_bytes()
    {
        // Given: a real .expt/, whose run.lock.info names someone's file.
        var precious = _dir.File("precious.txt", "do not truncate");
        Directory.CreateDirectory(Path.Combine(Run, ".expt"));
        File.CreateSymbolicLink(Path.Combine(Run, ".expt", "run.lock.info"), precious);

        // When
        var refused = Should.Throw<IOException>(() => RunLock.TryAcquire(Run, out _));

        // Then
        refused.Message.ShouldContain("run.lock.info is a symbolic link (to " + precious + ")");
        File.ReadAllText(precious).ShouldBe("do not truncate");
    }

    [Fact]
    public void Given_a_real_run_when_its_lock_is_taken_then_it_is_taken_as_before()
    {
        // Given
        Directory.CreateDirectory(Run);

        // When
        using var runLock = RunLock.TryAcquire(Run, out var holder);

        // Then
        runLock.ShouldNotBeNull();
        holder.ShouldBeNull();
        RunLinks.InRun(Run).ShouldBeNull();
        RunLinks.InJobs(Run, ["a", "b/train", "b/eval/shard-0"]).ShouldBeNull("job directories not made yet are created real");
    }

    [Fact]
    public void Given_an_experiment_directory_that_is_a_link_when_a_writer_looks_then_the_link_is_named()
    {
        // Given
        Directory.CreateDirectory(Elsewhere);
        Directory.CreateDirectory(_dir.Combine("results"));
        Directory.CreateSymbolicLink(_dir.Combine("results", "exp"), Elsewhere);

        // When
        var problem = RunLinks.InRun(Run);

        // Then
        problem.ShouldNotBeNull();
        problem.ShouldStartWith($"{_dir.Combine("results", "exp")} is a symbolic link (to {Elsewhere})");
    }

    [Fact]
    public void Given_run_log_or_the_journal_linked_to_a_file_outside_when_a_writer_looks_then_each_is_named()
    {
        // Given
        var precious = _dir.File("precious.txt", "mine");
        Directory.CreateDirectory(Path.Combine(Run, ".expt"));
        File.CreateSymbolicLink(Path.Combine(Run, RunLog.FileName), precious);

        // When
        var logLinked = RunLinks.InRun(Run);
        File.Delete(Path.Combine(Run, RunLog.FileName));
        File.CreateSymbolicLink(Path.Combine(Run, ManifestStore.JournalFileName), precious);
        var journalLinked = RunLinks.InRun(Run);

        // Then
        logLinked.ShouldNotBeNull();
        logLinked.ShouldStartWith(Path.Combine(Run, RunLog.FileName) + " is a symbolic link");
        journalLinked.ShouldNotBeNull();
        journalLinked.ShouldStartWith(Path.Combine(Run, ManifestStore.JournalFileName) + " is a symbolic link");
        RunLinks.AroundLock(Run).ShouldBeNull("taking the lock writes neither");
    }

    [Fact]
    public void Given_job_directories_with_a_link_on_the_way_or_inside_when_a_writer_looks_then_the_first_link_is_named()
    {
        // Given: a variant directory that is a link (its stage jobs are below it), and a job whose stdout.log is one.
        Directory.CreateDirectory(Path.Combine(Run, "a", ".expt"));
        Directory.CreateDirectory(Elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(Run, "b"), Elsewhere);
        var precious = _dir.File("precious.txt", "mine");
        Directory.CreateDirectory(Path.Combine(Run, "c"));
        File.CreateSymbolicLink(Path.Combine(Run, "c", "stdout.log"), precious);

        // When / Then
        RunLinks.InJobs(Run, ["a"]).ShouldBeNull();
        RunLinks.InJobs(Run, ["a", "b/train"]).ShouldNotBeNull().ShouldStartWith($"{Path.Combine(Run, "b")} is a symbolic link (to {Elsewhere})");
        RunLinks.InJobs(Run, ["c"]).ShouldNotBeNull().ShouldStartWith($"{Path.Combine(Run, "c", "stdout.log")} is a symbolic link (to {precious})");
        RunLinks.InJobs(Run, ["../other"]).ShouldNotBeNull().ShouldContain("is not a directory inside the run");
    }

    [Fact]
    public void Given_a_status_json_that_is_a_link_to_a_file_outside_when_rewritten_then_the_link_is_replaced_and_its_target_untouched()
    {
        // Given: atomic writes need no look, because a rename replaces the link itself.
        var precious = _dir.File("precious.json", "{\"mine\": true}");
        var status = Path.Combine(Run, "a", JobStatus.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(status)!);
        File.CreateSymbolicLink(status, precious);

        // When
        JsonFiles.Write(status, new JobStatus { Id = "a", Variant = "a", Stage = "main", State = JobState.Failed });

        // Then
        File.ReadAllText(precious).ShouldBe("{\"mine\": true}");
        new FileInfo(status).LinkTarget.ShouldBeNull();
        JsonFiles.TryRead<JobStatus>(status)!.State.ShouldBe(JobState.Failed);
    }

    [Fact]
    public void Given_a_runs_expt_folder_that_is_a_link_when_cancel_leaves_its_marker_then_it_is_refused_and_nothing_is_written_there()
    {
        // Given
        ExptFolderLinkedOut();
        var before = Tree(Elsewhere);

        // When
        var problem = CancelMarker.Write(Run, "expt cancel by me");

        // Then
        problem.ShouldNotBeNull();
        problem.ShouldStartWith(Path.Combine(Run, ".expt") + " is a symbolic link");
        Tree(Elsewhere).ShouldBe(before);
    }
}
