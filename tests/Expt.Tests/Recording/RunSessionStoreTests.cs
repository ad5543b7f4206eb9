using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Recording;

/// <summary>A runner's session and its store: what is recorded through the store by job id is what the session records.</summary>
public sealed class RunSessionStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: st
        params:
          i: { type: int, default: 0 }
        matrix: { i: [0, 1] }
        name: "v{i}"
        run: "true"
        args: none
        """;

    [Fact]
    public async Task Given_a_resumed_run_whose_manifest_line_is_stale_when_a_status_is_recorded_through_the_store_by_id_then_the_line_is_the_one_planned_now()
    {
        // Given: a run whose manifest still has an older identity for v0 (as before a resume with --force)
        var plan = SpecText.Plan(_dir, Spec);
        string dir;
        using (var created = await RunSession.CreateAsync(plan, new RunStartInfo(_dir.Combine("results"), "r1", "expt run (test)"), NoGit.Instance, TimeProvider.System, CancellationToken.None))
        {
            dir = created.Directory;
        }
        var read = ManifestStore.Read(dir)!;
        var stale = read with { Jobs = read.Jobs.Select(j => j.Id == "v0" ? j with { Identity = "old" } : j).ToList() };

        // When: the session is opened, and a job recorded through its store by id (as SLURM tracking records)
        using var session = RunSession.Open(new RunResumeInfo(dir, stale, "expt run --resume (test)"), plan, TimeProvider.System, out var problem)!;
        problem.ShouldBeNull();
        var planned = plan.Jobs.Single(j => j.Id == "v0");
        var line = session.Store.Find("v0")!;
        session.Store.Record(line, RunSession.NewStatus(planned) with { State = JobState.Queued });

        // Then: the store's line and the manifest have the identity planned now, as RunSession.Record gives them
        line.Identity.ShouldBe(planned.Identity);
        session.Manifest.Find("v0")!.ShouldSatisfyAllConditions(
            l => l.Identity.ShouldBe(planned.Identity),
            l => l.State.ShouldBe(JobState.Queued));
        session.Status(planned)!.State.ShouldBe(JobState.Queued);
        session.Store.Faults.ShouldBeSameAs(session.Faults);
    }
}
