using Expt.Execution;
using Expt.Planning;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Execution;

public sealed class FailFastTests : IDisposable
{
    private const string Typo = "sh: 0: cannot open trian.sh: No such file";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private List<PlannedJob> Jobs(int variants, string stages = "run: sh -c 'exit 2'\n")
    {
        var levels = string.Join(", ", Enumerable.Range(0, variants));
        return SpecText.Plan(_dir, $"experiment: f\nparams:\n  i: {{ type: int, default: 0 }}\nmatrix: {{ i: [{levels}] }}\nname: \"v{{i}}\"\n{stages}").Jobs.ToList();
    }

    private static JobStatus Ended(PlannedJob job, JobState state, int? exitCode = 2) =>
        RunSession.NewStatus(job) with { State = state, ExitCode = exitCode, Reason = state == JobState.Succeeded ? null : $"exit code {exitCode}" };

    [Fact]
    public void Given_a_stage_whose_first_three_jobs_fail_with_the_same_exit_code_and_stderr_line_when_the_third_ends_then_the_rest_of_the_stage_is_stopped()
    {
        // Given
        var jobs = Jobs(20);
        var failFast = new FailFast(jobs, enabled: true);

        // When
        var first = failFast.Ended(jobs[1], Ended(jobs[1], JobState.Failed), () => Typo);
        var second = failFast.Ended(jobs[0], Ended(jobs[0], JobState.Failed), () => Typo);
        var third = failFast.Ended(jobs[2], Ended(jobs[2], JobState.Failed), () => Typo);
        var fourth = failFast.Ended(jobs[3], Ended(jobs[3], JobState.Failed), () => Typo);

        // Then
        first.ShouldBeNull();
        second.ShouldBeNull();
        third.ShouldNotBeNull();
        third.Stage.ShouldBe("main");
        third.Jobs.ShouldBe(["v1", "v0", "v2"]);
        third.Describe().ShouldBe($"the first 3 jobs of stage main (v1, v0, v2) failed the same way (exit code 2: {Typo})");
        third.JobReason.ShouldBe("not started: the first 3 jobs of stage main failed the same way (exit code 2); --keep-going runs every job");
        fourth.ShouldBeNull("a stage is decided once");
    }

    [Fact]
    public void Given_a_stage_whose_first_failures_differ_in_their_last_stderr_line_when_three_ended_then_the_stage_runs_on()
    {
        // Given: the same exit code, but each job failed on its own input
        var jobs = Jobs(20);
        var failFast = new FailFast(jobs, enabled: true);

        // When
        var decisions = jobs.Take(6).Select(j => failFast.Ended(j, Ended(j, JobState.Failed), () => $"FileNotFoundError: data/{j.Id}.csv")).ToList();

        // Then
        decisions.ShouldAllBe(d => d == null);
    }

    [Fact]
    public void Given_a_stage_whose_first_ended_job_succeeded_when_later_jobs_all_fail_the_same_way_then_the_stage_runs_on()
    {
        // Given
        var jobs = Jobs(20);
        var failFast = new FailFast(jobs, enabled: true);
        failFast.Ended(jobs[0], Ended(jobs[0], JobState.Succeeded, 0), () => "");

        // When
        var decisions = jobs.Skip(1).Take(5).Select(j => failFast.Ended(j, Ended(j, JobState.Failed), () => Typo)).ToList();

        // Then
        decisions.ShouldAllBe(d => d == null);
    }

    [Fact]
    public void Given_keep_going_when_the_first_jobs_all_fail_the_same_way_then_nothing_is_stopped()
    {
        // Given
        var jobs = Jobs(20);
        var failFast = new FailFast(jobs, enabled: false);

        // When
        var decisions = jobs.Take(5).Select(j => failFast.Ended(j, Ended(j, JobState.Failed), () => Typo)).ToList();

        // Then
        decisions.ShouldAllBe(d => d == null);
    }

    [Fact]
    public void Given_a_stage_of_three_jobs_when_all_fail_the_same_way_then_there_is_nothing_left_to_stop()
    {
        // Given
        var jobs = Jobs(3);
        var failFast = new FailFast(jobs, enabled: true);

        // When
        var decisions = jobs.Select(j => failFast.Ended(j, Ended(j, JobState.Failed), () => Typo)).ToList();

        // Then
        decisions.ShouldAllBe(d => d == null);
    }

    [Fact]
    public void Given_jobs_that_did_not_run_when_they_end_then_they_do_not_count_and_the_stderr_is_not_read()
    {
        // Given: blocked and cancelled jobs between the failures
        var jobs = Jobs(20);
        var failFast = new FailFast(jobs, enabled: true);
        var reads = 0;
        string Read()
        {
            reads++;
            return Typo;
        }

        // When
        failFast.Ended(jobs[0], Ended(jobs[0], JobState.Failed), Read);
        failFast.Ended(jobs[1], Ended(jobs[1], JobState.Blocked, null), Read);
        failFast.Ended(jobs[2], Ended(jobs[2], JobState.Cancelled, null), Read);
        failFast.Ended(jobs[3], Ended(jobs[3], JobState.Failed), Read);
        var third = failFast.Ended(jobs[4], Ended(jobs[4], JobState.Failed), Read);

        // Then
        third.ShouldNotBeNull();
        third.Jobs.ShouldBe(["v0", "v3", "v4"]);
        reads.ShouldBe(3);
    }

    [Fact]
    public void Given_a_pipeline_whose_evaluations_all_fail_the_same_way_then_only_the_evaluation_stage_is_stopped()
    {
        // Given
        var jobs = Jobs(6, "stages:\n  train: { run: \"true\" }\n  eval: { run: e, needs: [train] }\n");
        var failFast = new FailFast(jobs, enabled: true);
        var trainings = jobs.Where(j => j.Stage.Name == "train").ToList();
        var evaluations = jobs.Where(j => j.Stage.Name == "eval").ToList();

        // When
        foreach (var t in trainings.Take(2)) failFast.Ended(t, Ended(t, JobState.Succeeded, 0), () => "");
        var decisions = evaluations.Take(3).Select(e => failFast.Ended(e, Ended(e, JobState.Failed, 1), () => "ModuleNotFoundError: No module named 'evals'")).ToList();

        // Then
        decisions[..2].ShouldAllBe(d => d == null);
        decisions[2]!.Stage.ShouldBe("eval");
    }
}
