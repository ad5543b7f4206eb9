using Expt.Cli.Tests.Support;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Cli.Tests.Commands;

/// <summary>A results root that fills up, for real: a 2 MB tmpfs and jobs that each write 1 MB.</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-full");
    private Tmpfs? _disk;

    public void Dispose()
    {
        _disk?.Dispose();
        _dir.Dispose();
    }

    private const string Spec = """
        experiment: full
        params:
          i: { type: int, default: 0 }
        matrix: { i: [0, 1, 2, 3, 4, 5] }
        name: "v{i}"
        run: echo {i} >> ran.log; head -c 1000000 /dev/zero > "$EXPT_OUTPUT_DIR/out.bin"
        args: none
        """;

    [TmpfsFact]
    public async Task Given_a_2_MB_results_root_and_jobs_that_write_1_MB_when_run_then_no_job_starts_after_the_disk_fills_it_says_so_exits_1_and_a_resume_finishes_once_there_is_space()
    {
        // Given
        _disk = new Tmpfs(_dir.Combine("results"), "2m");
        var spec = _dir.File("full/experiment.yaml", Spec);
        var run = Path.Combine(_disk.Path, "full", "r1");

        // When: one job at a time, so that the second is the one that fills the disk
        var first = await CliHarness.RunAsync("run", spec, "--results", _disk.Path, "--run-id", "r1", "-p", "1");

        // Then: the runner survived, said why with the path, and started nothing after it
        first.ExitCode.ShouldBe(1, first.Out + first.Error);
        first.Out.ShouldContain($"STOPPED disk full: cannot write {run}{Path.DirectorySeparatorChar}");
        first.Out.ShouldContain("4 job(s) are left pending");
        first.Error.ShouldContain($"error: disk full: cannot write {run}");
        File.ReadAllLines(_dir.Combine("full", "ran.log")).ShouldBe(["0", "1"]);
        var log = File.ReadAllText(Path.Combine(run, RunLog.FileName));
        log.ShouldContain("RUN_WRITE_FAILED: disk full");
        log.ShouldContain("RUN_END");
        // The manifest (with its journal) says what each job's status.json says: v0 succeeded, v1 ended, the rest never ran.
        var manifest = ManifestStore.Read(run)!;
        manifest.Ended.ShouldNotBeNull();
        foreach (var job in manifest.Jobs)
        {
            JsonFiles.Read<JobStatus>(Path.Combine(run, job.Dir, JobStatus.FileName))!.State.ShouldBe(job.State, job.Id);
        }
        manifest.Jobs[0].State.ShouldBe(JobState.Succeeded);
        manifest.Jobs[1].State.IsFinished().ShouldBeTrue();
        manifest.Jobs.Skip(2).ShouldAllBe(j => j.State == JobState.Pending);

        // And when space is freed, a resume finishes the run without running v0 again
        _disk.Resize("16m");
        var resumed = await CliHarness.RunAsync("run", spec, "--results", _disk.Path, "--resume", "r1", "-p", "1");
        resumed.ExitCode.ShouldBe(0, resumed.Out + resumed.Error);
        File.ReadAllLines(_dir.Combine("full", "ran.log")).Count(l => l == "0").ShouldBe(1);
        ManifestStore.Read(run)!.Jobs.ShouldAllBe(j => j.State == JobState.Succeeded);
        File.Exists(Path.Combine(run, ".expt", "reserve")).ShouldBeFalse("the reserve is given back when the runner ends");
    }

    [TmpfsFact]
    public async Task Given_a_full_results_root_when_a_run_is_created_then_it_exits_2_says_disk_full_and_leaves_no_run_directory()
    {
        // Given
        _disk = new Tmpfs(_dir.Combine("results"), "2m");
        _disk.Fill();
        var spec = _dir.File("full/experiment.yaml", Spec);

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", _disk.Path, "--run-id", "r1");

        // Then
        result.ExitCode.ShouldBe(2, result.Out + result.Error);
        result.Error.ShouldContain($"disk full: cannot write {Path.Combine(_disk.Path, "full", "r1")}");
        result.Error.ShouldContain("the run was not created");
        Directory.Exists(Path.Combine(_disk.Path, "full")).ShouldBeFalse();
        File.Exists(_dir.Combine("full", "ran.log")).ShouldBeFalse();
    }
}
