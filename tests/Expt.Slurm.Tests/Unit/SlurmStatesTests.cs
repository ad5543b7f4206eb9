using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Tracking;

namespace Expt.Slurm.Tests.Unit;

public sealed class SlurmStatesTests
{
    private static readonly AttemptMarkers NotStarted = new(1, false, null, null, false, null, null, null);
    private static readonly AttemptMarkers Running = new(1, true, DateTimeOffset.UnixEpoch, "n1", false, null, null, "42");

    private static AttemptMarkers Ended(int code) => new(1, true, DateTimeOffset.UnixEpoch, "n1", true, code, DateTimeOffset.UnixEpoch.AddSeconds(5), "42");

    private static QueueEntry Entry(string state, string reason = "None") => new("40_1", state, reason, "42", "n1");

    public static TheoryData<string, string, int?, JobState> Cases => new()
    {
        // SLURM state, reason, exit code recorded by the wrapper (null: none), expected Expt state
        { "PENDING", "Resources", null, JobState.Queued },
        { "PENDING", "BeginTime", null, JobState.Queued },
        { "PENDING", "DependencyNeverSatisfied", null, JobState.Blocked },
        { "RUNNING", "None", null, JobState.Running },
        { "COMPLETING", "TimeLimit", 143, JobState.Running },
        { "COMPLETED", "None", 0, JobState.Succeeded },
        { "COMPLETED", "None", null, JobState.Lost },
        { "FAILED", "NonZeroExitCode", 3, JobState.Failed },
        { "FAILED", "None", null, JobState.Failed },
        { "TIMEOUT", "TimeLimit", 143, JobState.TimedOut },
        { "TIMEOUT", "TimeLimit", null, JobState.TimedOut },
        { "CANCELLED", "None", 143, JobState.Cancelled },
        { "CANCELLED", "None", null, JobState.Cancelled },
        { "CANCELLED", "DependencyNeverSatisfied", null, JobState.Blocked },
        { "OUT_OF_MEMORY", "OutOfMemory", 137, JobState.Failed },
        { "NODE_FAIL", "NodeDown", null, JobState.Lost },
        { "PREEMPTED", "None", null, JobState.Lost },
        { "BOOT_FAIL", "None", null, JobState.Lost },
        { "DEADLINE", "None", null, JobState.TimedOut },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void every_slurm_state_maps_to_an_honest_expt_state(string state, string reason, int? exitCode, JobState expected)
    {
        // Given what the queue says and what the wrapper recorded
        var markers = exitCode is { } code ? Ended(code) : state is "PENDING" ? NotStarted : Running;

        // When judged
        var verdict = SlurmStates.Judge(Entry(state, reason), markers, cancelRequested: false);

        // Then the state is the honest one
        verdict.State.ShouldBe(expected);
    }

    [Fact]
    public void a_job_that_left_the_queue_without_recording_an_end_is_lost_never_succeeded()
    {
        // Given a job that started and vanished / When judged / Then lost
        SlurmStates.Judge(null, Running, cancelRequested: false).State.ShouldBe(JobState.Lost);
        SlurmStates.Judge(null, NotStarted, cancelRequested: false).Reason!.ShouldContain("before it started");
    }

    [Fact]
    public void a_job_that_left_the_queue_after_recording_its_end_keeps_that_end()
    {
        // Given a finished job purged from the queue / When judged / Then its own exit code decides
        SlurmStates.Judge(null, Ended(0), cancelRequested: false).State.ShouldBe(JobState.Succeeded);
        SlurmStates.Judge(null, Ended(2), cancelRequested: false).Reason.ShouldBe("exit code 2");
    }

    [Fact]
    public void a_pending_task_removed_by_expt_cancel_is_cancelled_not_lost()
    {
        // Given a cancel request and a pending task that left no record
        // When judged
        var verdict = SlurmStates.Judge(null, NotStarted, cancelRequested: true);

        // Then it is cancelled by expt cancel
        verdict.State.ShouldBe(JobState.Cancelled);
        verdict.Reason.ShouldBe("cancelled by expt cancel");
    }

    [Fact]
    public void a_cancelled_job_is_judged_by_its_state_not_by_the_exit_code_its_wrapper_saw()
    {
        // Given scancel killed the command (143) / When judged / Then cancelled, not failed
        SlurmStates.Judge(Entry("CANCELLED"), Ended(143), cancelRequested: false).State.ShouldBe(JobState.Cancelled);
    }
}
