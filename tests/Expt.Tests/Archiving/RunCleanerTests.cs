using Expt.Archiving;
using Expt.Recording;

namespace Expt.Tests.Archiving;

public sealed class RunCleanerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("expt-cleaner");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string[] Found(CleanCriteria criteria) =>
        RunCleaner.Find(Results, criteria, Now, out _).Select(c => c.RunId).ToArray();

    [Fact]
    public void Given_runs_in_every_condition_when_criteria_are_combined_then_only_runs_matching_all_of_them_are_found()
    {
        // Given
        FakeRun.Create(Results, "ok-old", Now.AddDays(-40), JobState.Succeeded);
        FakeRun.Create(Results, "failed-old", Now.AddDays(-40), JobState.Succeeded, JobState.TimedOut);
        FakeRun.Create(Results, "failed-new", Now.AddDays(-1), JobState.Blocked);
        FakeRun.Create(Results, "open-new", Now.AddHours(-1), JobState.Succeeded, JobState.Pending);

        // Then
        Found(new CleanCriteria(Failed: true)).ShouldBe(["failed-old", "failed-new"]);
        Found(new CleanCriteria(Incomplete: true)).ShouldBe(["open-new"]);
        Found(new CleanCriteria(OlderThan: TimeSpan.FromDays(30))).ShouldBe(["ok-old", "failed-old"], ignoreOrder: true);
        Found(new CleanCriteria(Failed: true, OlderThan: TimeSpan.FromDays(30))).ShouldBe(["failed-old"]);
        Found(new CleanCriteria(Experiment: FakeRun.Experiment)).ShouldBeEmpty("no criterion matches nothing");
        Found(new CleanCriteria(Failed: true, Experiment: "other")).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_matching_run_when_deleted_then_it_is_gone_and_no_deleting_directory_is_left()
    {
        var run = FakeRun.Create(Results, "bad", Now.AddDays(-1), JobState.Failed);
        var candidate = RunCleaner.Find(Results, new CleanCriteria(Failed: true), Now, out _).Single();

        var problem = RunCleaner.Delete(candidate);

        problem.ShouldBeNull();
        Directory.Exists(run).ShouldBeFalse();
        Directory.GetDirectories(Results, "*", SearchOption.AllDirectories).ShouldBe([Path.Combine(Results, FakeRun.Experiment)]);
    }

    [Fact]
    public void Given_a_run_held_by_a_live_runner_when_cleaned_then_it_is_listed_as_kept_and_not_deleted()
    {
        var run = FakeRun.Create(Results, "live", Now.AddDays(-1), JobState.Running);
        using var runner = RunLock.TryAcquire(run, out _);

        var candidate = RunCleaner.Find(Results, new CleanCriteria(Incomplete: true), Now, out _).Single();
        var problem = RunCleaner.Delete(candidate);

        candidate.Skipped.ShouldBe("in use by a runner");
        problem.ShouldNotBeNull();
        Directory.Exists(run).ShouldBeTrue();
    }
}
