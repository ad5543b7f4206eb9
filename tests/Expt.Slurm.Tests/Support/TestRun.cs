using Expt.Execution;
using Expt.Internal;
using Expt.Planning;
using Expt.Recording;
using Expt.Testing;

namespace Expt.Slurm.Tests.Support;

/// <summary>
/// A spec in a temp directory run through the real <see cref="RunEngine"/> with a given executor: what
/// <c>expt run</c> does, minus the console.
/// </summary>
internal sealed class TestRun : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly bool _onCluster;

    public TestRun(string specYaml, bool onCluster = false)
    {
        _onCluster = onCluster;
        SpecPath = _dir.File("experiment.yaml", specYaml);
    }

    public string SpecPath { get; }

    public string Root => _dir.Path;

    public string Results => _dir.Combine("results");

    public RecordingObserver Observer { get; } = new();

    /// <summary>The plan of the spec (fails the test with every problem when invalid).</summary>
    public Plan Plan()
    {
        var prepared = ExperimentPreparer.Prepare(PlanRequest.For(SpecPath) with { Executors = SlurmRegistration.Executors() });
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Errors));
        return prepared.Plan!;
    }

    /// <summary>Runs (or resumes <paramref name="resume"/>) the plan to its end, or until submitted with <paramref name="detach"/>.</summary>
    public async Task<RunOutcome> RunAsync(IExecutor executor, string? resume = null, bool detach = false, RunStop? stop = null, string runId = "r1")
    {
        var engine = new RunEngine(executor, NoGit.Instance, TimeProvider.System);
        var request = new RunRequest(Results, resume is null ? runId : null, resume, Force: false, SelectionNarrowed: false, "expt run (test)");
        var options = ExecutionOptions.ForThisMachine() with { Detach = detach, RetryBackoff = TimeSpan.Zero };
        using var own = stop is null ? new RunStop() : null;
        var outcome = await engine.RunAsync(Plan(), request, options, Observer, stop ?? own!);
        outcome.Errors.ShouldBeEmpty();
        return outcome;
    }

    public string RunDirectory(string runId = "r1") => Path.Combine(Results, Plan().Definition.Name, runId);

    public JobStatus Status(string jobId, string runId = "r1") =>
        JsonFiles.Read<JobStatus>(Path.Combine(RunDirectory(runId), jobId, JobStatus.FileName)) ?? throw new InvalidOperationException($"{jobId} has no status.json");

    public string JobFile(string jobId, string file, string runId = "r1") => Path.Combine(RunDirectory(runId), jobId, file);

    /// <summary>Deletes every job's status.json: what the run's files look like when the runner died right after sbatch answered.</summary>
    public void ForgetJobStatuses(string runId = "r1")
    {
        foreach (var job in Plan().AllJobs) File.Delete(JobFile(job.Id, JobStatus.FileName, runId));
    }

    public string RunLog(string runId = "r1") => File.ReadAllText(Path.Combine(RunDirectory(runId), Expt.Recording.RunLog.FileName));

    /// <summary>Cancels whatever a failed test left waiting or running in SLURM, so no job outlives its temp directory.</summary>
    public void Dispose()
    {
        var runs = _onCluster && Directory.Exists(Results) ? Directory.EnumerateDirectories(Results).SelectMany(Directory.EnumerateDirectories).ToList() : [];
        var leftovers = runs.Where(r => Directory.Exists(Path.Combine(r, ".expt", "slurm")))
            .SelectMany(r => SlurmRefresher.ReadOnly(r, null).Statuses)
            .Where(s => s.State is JobState.Queued or JobState.Running)
            .Select(s => s.Attempts.LastOrDefault()?.Executor?.GetValueOrDefault("slurmArrayJobId"))
            .OfType<string>().Distinct().ToList();
        if (leftovers.Count > 0) new Client.SlurmCli().CancelAsync(leftovers, CancellationToken.None).GetAwaiter().GetResult();
        _dir.Dispose();
    }
}
