using System.Collections.Concurrent;
using Expt.Design;
using Expt.Execution;
using Expt.Planning;
using Expt.Recording;
using Expt.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Expt.Tests.Design;

/// <summary>The run directory's experiment_summary.md kept current by <see cref="LiveSummary"/> on the run's clock.</summary>
public sealed class LiveSummaryTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-live-summary");
    private readonly FakeTimeProvider _time = new(DesignFixture.CreatedAt);

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: live
        params:
          size: { type: int, default: 1 }
        matrix:
          size: [1, 2, 3]
        name: "s{size}"
        args: none
        run: "true"
        """;

    private sealed class Recorder : IRunObserver
    {
        public ConcurrentQueue<string> Messages { get; } = new();
        public ConcurrentQueue<JobStatus> Updates { get; } = new();
        public void JobUpdated(JobStatus status) => Updates.Enqueue(status);
        public void Message(string text) => Messages.Enqueue(text);
    }

    private async Task<(Plan Plan, RunSession Session)> OpenRunAsync(string root)
    {
        var plan = SpecText.Plan(_dir, Spec);
        var session = await RunSession.CreateAsync(plan, new RunStartInfo(root, "r1", "expt run (test)"), NoGit.Instance, _time, CancellationToken.None);
        foreach (var job in plan.Jobs) session.Record(job, RunSession.NewStatus(job));
        return (plan, session);
    }

    private static JobStatus Ended(PlannedJob job, JobState state, double seconds) => RunSession.NewStatus(job) with
    {
        State = state, DurationSeconds = seconds, Accounting = new JobAccounting(seconds, null, null, 0),
    };

    [Fact]
    public async Task Given_a_run_when_jobs_change_then_the_summary_is_written_at_start_rewritten_at_most_once_per_interval_and_written_at_the_end_with_the_final_states()
    {
        // Given
        var (plan, session) = await OpenRunAsync(_dir.Combine("results"));
        using var _ = session;
        var inner = new Recorder();
        using var live = new LiveSummary(inner, DesignFixture.For(plan), _time, TimeSpan.FromSeconds(5));

        // When: the run opens
        live.RunOpened(session);

        // Then: written at once, every job pending
        var path = Path.Combine(session.Directory, SummaryMarkdown.FileName);
        live.Writes.ShouldBe(1);
        File.ReadAllText(path).ShouldContain("| `main` | 3 | 3 pending |");

        // When: two jobs change within the interval
        live.JobUpdated(RunSession.NewStatus(plan.Jobs[0]) with { State = JobState.Running });
        live.JobUpdated(Ended(plan.Jobs[0], JobState.Succeeded, 1));
        _time.Advance(TimeSpan.FromSeconds(4));

        // Then: not yet rewritten; the wrapped observer saw every update
        live.Writes.ShouldBe(1);
        inner.Updates.Count.ShouldBe(2);

        // When: the interval passes, then passes again with nothing new
        _time.Advance(TimeSpan.FromSeconds(1));
        live.Writes.ShouldBe(2);
        File.ReadAllText(path).ShouldContain("| `main` | 3 | 1 succeeded, 2 pending |");
        _time.Advance(TimeSpan.FromSeconds(5));
        live.Writes.ShouldBe(2);

        // When: the last jobs end and the run completes before the next tick
        live.JobUpdated(Ended(plan.Jobs[1], JobState.Succeeded, 1));
        live.JobUpdated(Ended(plan.Jobs[2], JobState.Failed, 1) with { Reason = "exit code 1" });
        live.Complete();

        // Then: the final states are written, and no timer writes after the end
        live.Writes.ShouldBe(3);
        File.ReadAllText(path).ShouldContain("| `main` | 3 | 2 succeeded, 1 failed |");
        _time.Advance(TimeSpan.FromMinutes(1));
        live.Writes.ShouldBe(3);
        inner.Messages.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_resumed_run_with_a_job_that_succeeded_earlier_and_one_that_failed_when_it_opens_then_the_summary_shows_the_first_succeeded_and_the_second_pending_again()
    {
        // Given: s1 succeeded in an earlier runner (its status.json says so; a resume reports it only as skipped),
        // s2 failed there (the resume runs it again)
        var (plan, session) = await OpenRunAsync(_dir.Combine("results"));
        using var _ = session;
        session.Record(plan.Jobs[0], Ended(plan.Jobs[0], JobState.Succeeded, 2));
        session.Record(plan.Jobs[1], Ended(plan.Jobs[1], JobState.Failed, 2) with { Reason = "exit code 1" });
        using var live = new LiveSummary(new Recorder(), DesignFixture.For(plan), _time);

        // When
        live.JobsSkipped(1);
        live.RunOpened(session);

        // Then
        File.ReadAllText(Path.Combine(session.Directory, SummaryMarkdown.FileName)).ShouldSatisfyAllConditions(
            t => t.ShouldContain("| `main` | 3 | 1 succeeded, 2 pending |"),
            t => t.ShouldContain($"| `{plan.Jobs[0].Id}` | succeeded |"),
            t => t.ShouldContain($"| `{plan.Jobs[1].Id}` | pending |"));
    }

    [TmpfsFact]
    public async Task Given_a_full_disk_when_the_summary_is_written_then_the_run_goes_on_the_failure_is_said_once_and_the_final_write_lands_once_space_is_back()
    {
        // Given: a run on a real small tmpfs that is then filled
        using var disk = new Tmpfs(_dir.Combine("disk"), "2m");
        var (plan, session) = await OpenRunAsync(Path.Combine(disk.Path, "results"));
        using var _ = session;
        disk.Fill();
        var inner = new Recorder();
        using var live = new LiveSummary(inner, DesignFixture.For(plan), _time, TimeSpan.FromSeconds(5));

        // When: the run opens and jobs change over several intervals
        live.RunOpened(session);
        for (var i = 0; i < 3; i++)
        {
            live.JobUpdated(Ended(plan.Jobs[i], JobState.Succeeded, 1));
            _time.Advance(TimeSpan.FromSeconds(5));
        }

        // Then: nothing was thrown, nothing written, and the failure said once, as a full disk
        live.Writes.ShouldBe(0);
        inner.Messages.Count.ShouldBe(1);
        inner.Messages.Single().ShouldContain("disk full");
        inner.Messages.Single().ShouldContain(SummaryMarkdown.FileName);

        // When: space is back and the run completes
        disk.Resize("16m");
        live.Complete();

        // Then: the final summary is there, with every job's end
        live.Writes.ShouldBe(1);
        File.ReadAllText(Path.Combine(session.Directory, SummaryMarkdown.FileName)).ShouldContain("| `main` | 3 | 3 succeeded |");
        inner.Messages.Count.ShouldBe(1);
    }
}
