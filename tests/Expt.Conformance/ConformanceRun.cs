using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Internal;
using Expt.Planning;
using Expt.Recording;

namespace Expt.Conformance;

/// <summary>
/// A spec in a temp directory run through the real <see cref="RunEngine"/> with a given executor: what
/// <c>expt run</c> does, minus the console.
/// </summary>
internal sealed class ConformanceRun : IDisposable
{
    private readonly ExecutorRegistry _executors;

    public ConformanceRun(string specYaml, ExecutorRegistry executors)
    {
        _executors = executors;
        Root = Path.Combine(Path.GetTempPath(), $"expt-conformance-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(Root);
        SpecPath = Path.Combine(Root, "experiment.yaml");
        File.WriteAllText(SpecPath, specYaml);
    }

    public string SpecPath { get; }

    public string Root { get; }

    public string Results => Path.Combine(Root, "results");

    /// <summary>The plan of the spec (fails the test with every problem when invalid).</summary>
    public Plan Plan()
    {
        var prepared = ExperimentPreparer.Prepare(PlanRequest.For(SpecPath) with { Executors = _executors });
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Errors));
        return prepared.Plan!;
    }

    /// <summary>Runs (or resumes <paramref name="resume"/>) the plan to its end.</summary>
    public async Task<RunOutcome> RunAsync(IExecutor executor, string? resume = null)
    {
        var engine = new RunEngine(executor, NoGit.Instance, TimeProvider.System);
        var request = new RunRequest(Results, resume is null ? "r1" : null, resume, Force: false, SelectionNarrowed: false, "expt run (test)");
        var options = ExecutionOptions.ForThisMachine() with { RetryBackoff = TimeSpan.Zero };
        using var stop = new RunStop();
        var outcome = await engine.RunAsync(Plan(), request, options, NullRunObserver.Instance, stop);
        outcome.Errors.ShouldBeEmpty();
        return outcome;
    }

    public string RunDirectory() => Path.Combine(Results, Plan().Definition.Name, "r1");

    public JobStatus Status(string jobId) =>
        JsonFiles.Read<JobStatus>(Path.Combine(RunDirectory(), jobId, JobStatus.FileName)) ?? throw new InvalidOperationException($"{jobId} has no status.json");

    public string JobFile(string jobId, string file) => Path.Combine(RunDirectory(), jobId, file);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp directory left behind is not the test's concern.
        }
    }

    /// <summary>Provenance for runs outside any repository, without spawning git.</summary>
    private sealed class NoGit : IGitProvenance
    {
        public static readonly NoGit Instance = new();

        public Task<GitInfo> DescribeAsync(string directory, CancellationToken cancellationToken) => Task.FromResult(GitInfo.None);

        public Task<string> DiffAsync(string directory, CancellationToken cancellationToken) => Task.FromResult("");
    }
}
