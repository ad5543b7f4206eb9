using Expt.Execution;
using Expt.Planning;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Execution;

public sealed class JobQueueTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private List<JobWork> Work(string yaml) =>
        SpecText.Plan(_dir, yaml).Jobs.Select(j => new JobWork(j, RunSession.NewStatus(j))).ToList();

    private const string Pipeline = """
        experiment: q
        params:
          v: { type: int, default: 0 }
        matrix: { v: [1, 2] }
        name: "v{v}"
        stages:
          train: { run: echo t }
          eval: { run: e, needs: [train], foreach: { task: [a, b] } }
          report: { run: r, needs: [eval] }
        """;

    [Fact]
    public void Given_a_pipeline_when_a_training_succeeds_then_only_its_own_evaluations_become_ready()
    {
        // Given
        var work = Work(Pipeline);
        var queue = new JobQueue(work, _ => null);
        queue.Ready.Select(w => w.Job.Id).ShouldBe(["v1/train", "v2/train"]);

        // When
        var blocked = queue.Ended(work.Single(w => w.Job.Id == "v1/train"), JobState.Succeeded);

        // Then
        blocked.ShouldBeEmpty();
        queue.Ready.Select(w => w.Job.Id).ShouldBe(["v1/eval/task-a", "v1/eval/task-b", "v2/train"]);
    }

    [Fact]
    public void Given_a_pipeline_when_a_training_fails_then_its_evaluations_and_report_are_blocked_transitively()
    {
        // Given
        var work = Work(Pipeline);
        var queue = new JobQueue(work, _ => null);

        // When
        var blocked = queue.Ended(work.Single(w => w.Job.Id == "v2/train"), JobState.Failed);

        // Then
        blocked.Select(b => (b.Work.Job.Id, b.Reason)).OrderBy(b => b.Id).ShouldBe(
        [
            ("v2/eval/task-a", "needs v2/train, which ended failed"),
            ("v2/eval/task-b", "needs v2/train, which ended failed"),
            ("v2/report", "needs v2/eval/task-b, which is blocked"),
        ]);
        queue.Ready.Select(w => w.Job.Id).ShouldBe(["v1/train"]);
    }

    [Fact]
    public void Given_a_need_outside_the_execution_that_never_ran_when_queued_then_its_dependants_are_blocked_at_start()
    {
        // Given: only the evaluations and reports are in this execution; the trainings are not and never succeeded.
        var work = Work(Pipeline).Where(w => w.Job.Stage.Name != "train").ToList();

        // When
        var queue = new JobQueue(work, id => id == "v1/train" ? JobState.Succeeded : null);

        // Then
        queue.BlockedAtStart.Select(b => b.Work.Job.Id).Order().ShouldBe(["v2/eval/task-a", "v2/eval/task-b", "v2/report"]);
        queue.BlockedAtStart.First().Reason.ShouldContain("not part of this run's selection");
        queue.Ready.Select(w => w.Job.Id).ShouldBe(["v1/eval/task-a", "v1/eval/task-b"]);
    }

    [Fact]
    public void Given_a_retry_when_it_falls_due_then_the_job_is_ready_again()
    {
        // Given
        var work = Work("experiment: r\nrun: echo x\n");
        var queue = new JobQueue(work, _ => null);
        var t0 = DateTimeOffset.UnixEpoch;
        queue.Started(work[0]);
        queue.Retry(work[0], t0.AddSeconds(5));

        // When
        queue.Due(t0.AddSeconds(4));
        var before = queue.ReadyCount;
        queue.Due(t0.AddSeconds(5));

        // Then
        before.ShouldBe(0);
        queue.ReadyCount.ShouldBe(1);
        queue.HasRetries.ShouldBeFalse();
    }
}
