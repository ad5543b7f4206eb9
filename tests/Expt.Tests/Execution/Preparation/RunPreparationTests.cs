using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Execution.Preparation;
using Expt.Internal;
using Expt.Recording;
using Expt.Tests.Execution.Backends;
using Expt.Tests.Support;

namespace Expt.Tests.Execution.Preparation;

/// <summary>
/// What <c>expt run</c> decides before a job starts (spec, plan, root, executor, options, GPUs, run id), as one
/// library step without the CLI: a run ready to start, or typed problems.
/// </summary>
public sealed class RunPreparationTests : IDisposable
{
    private const string Spec = "experiment: tiny\nargs: none\nrun: \"true\"\n";
    private readonly TempDirectory _dir = new("expt-prepare");
    private readonly ExecutorRegistry _executors = new();

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private static RunMachine Machine(ICommandRunner? commands = null, bool hasNvidiaSmi = false) =>
        new(ExecutionOptions.ForThisMachine(), commands ?? new NoCommands(), hasNvidiaSmi);

    private Task<PreparedRun> PrepareAsync(RunPreparationRequest request, RunMachine? machine = null) =>
        RunPreparation.PrepareAsync(request, _executors, machine ?? Machine(), CancellationToken.None);

    private RunPreparationRequest Request(string yaml = Spec) => new(_dir.File("s/experiment.yaml", yaml)) { Results = Results };

    [Fact]
    public async Task Given_a_good_spec_and_options_when_prepared_then_the_run_is_ready_on_the_local_backend_with_those_options()
    {
        // Given
        var request = Request() with { Parallel = 3, Grace = 2, RetryDelay = 0.5, KeepGoing = true, RunId = "r1", CommandLine = "expt run s" };

        // When
        var prepared = await PrepareAsync(request);

        // Then
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Problems));
        prepared.Backend!.Name.ShouldBe(ExecutorRegistry.DefaultName);
        prepared.Options!.Parallelism.ShouldBe(3);
        prepared.Options.KillGrace.ShouldBe(TimeSpan.FromSeconds(2));
        prepared.Options.RetryBackoff.ShouldBe(TimeSpan.FromSeconds(0.5));
        prepared.Options.KeepGoing.ShouldBeTrue();
        prepared.Options.Gpus.ShouldBeEmpty();
        prepared.ResultsRoot.ShouldBe(Results);
        prepared.Run.ShouldBe(new RunRequest(Results, "r1", null, false, false, "expt run s"));
    }

    [Fact]
    public async Task Given_no_spec_and_no_resume_when_prepared_then_it_is_refused_saying_the_spec_is_missing()
    {
        // When
        var prepared = await PrepareAsync(new RunPreparationRequest(null));

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.Plan.ShouldBeNull();
        prepared.Problems.ShouldHaveSingleItem().Message.ShouldBe("missing SPEC: give the experiment's spec file (or --resume RUN to continue a run)");
    }

    [Fact]
    public async Task Given_a_bad_spec_when_prepared_then_its_errors_are_the_spec_errors_and_no_run_problem()
    {
        // When
        var prepared = await PrepareAsync(Request("experiment: tiny\nrun: \"true\"\nparallel: 3\n"));

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.SpecErrors.ShouldNotBeEmpty();
        prepared.Problems.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("parallel", "--parallel 0: expected 1 or more")]
    [InlineData("max-jobs", "--max-jobs 0: expected 1 or more")]
    [InlineData("gpus", "--gpus '0,0': expected distinct GPU ids")]
    [InlineData("run-id", "--run-id '../x' ")]
    [InlineData("detach", "--detach needs --executor slurm")]
    public async Task Given_an_option_a_run_cannot_take_when_prepared_then_it_is_refused_with_one_problem(string option, string expected)
    {
        // Given
        var request = option switch
        {
            "parallel" => Request() with { Parallel = 0 },
            "max-jobs" => Request() with { MaxJobs = 0 },
            "gpus" => Request() with { Gpus = "0,0" },
            "run-id" => Request() with { RunId = "../x" },
            _ => Request() with { Detach = true },
        };

        // When
        var prepared = await PrepareAsync(request);

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.Problems.ShouldHaveSingleItem().Message.ShouldStartWith(expected);
    }

    [Fact]
    public async Task Given_an_unknown_executor_when_prepared_then_the_problem_offers_only_the_backends_this_process_can_make()
    {
        // Given a registry with a test backend and one whose assembly is absent
        _executors.Register(SubprocessBackend.BackendName, () => new SubprocessBackend());
        _executors.Register("gone", () => throw new FileNotFoundException("Could not load file or assembly 'Expt.Gone'"));

        // When
        var prepared = await PrepareAsync(Request() with { Executor = "kube" });

        // Then
        prepared.Problems.ShouldHaveSingleItem().Message.ShouldBe("--executor kube: expected local or subprocess");
    }

    [Fact]
    public async Task Given_a_job_that_needs_a_gpu_and_no_gpus_option_when_prepared_then_the_gpus_nvidia_smi_lists_are_given()
    {
        // Given a machine whose nvidia-smi lists two GPUs
        var commands = new GpuList("GPU 0: NVIDIA A100 (UUID: GPU-1)\nGPU 1: NVIDIA A100 (UUID: GPU-2)\n");

        // When
        var prepared = await PrepareAsync(Request(Spec + "resources: { gpus: 1 }\n"), Machine(commands));

        // Then
        prepared.Options!.Gpus.ShouldBe(["0", "1"]);
        commands.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Given_gpus_none_when_prepared_then_no_gpu_is_given_and_nvidia_smi_is_not_asked()
    {
        // Given
        var commands = new GpuList("GPU 0: NVIDIA A100 (UUID: GPU-1)\n");

        // When
        var prepared = await PrepareAsync(Request(Spec + "resources: { gpus: 1 }\n") with { Gpus = "none" }, Machine(commands, hasNvidiaSmi: true));

        // Then
        prepared.Options!.Gpus.ShouldBeEmpty();
        commands.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_dry_run_when_prepared_then_only_the_plan_is_checked_and_the_new_run_directory_is_hinted()
    {
        // Given options a real run refuses
        var request = Request() with { DryRun = true, Parallel = 0, Executor = "kube" };

        // When
        var prepared = await PrepareAsync(request);

        // Then
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Problems));
        prepared.Backend.ShouldBeNull();
        prepared.Options.ShouldBeNull();
        prepared.RunDirectoryHint.ShouldBe(Path.Combine(Results, "tiny", "{YYYYMMDD_HHMMSS}_{git7}") + "/");
        prepared.ResumePreview.ShouldBeNull();
    }

    [Fact]
    public async Task Given_a_finished_run_when_a_bare_resume_and_a_dry_run_resume_are_prepared_then_the_runs_spec_root_and_succeeded_jobs_are_found()
    {
        // Given a run r1 whose one job succeeded
        var first = await PrepareAsync(Request() with { RunId = "r1" });
        var engine = new RunEngine(first.Backend!.CreateExecutor(TimeProvider.System), NoGit.Instance, TimeProvider.System);
        using (var stop = new RunStop())
        {
            (await engine.RunAsync(first.Plan!, first.Run!, first.Options!, NullRunObserver.Instance, stop)).ExitCode.ShouldBe(0);
        }

        // When it is resumed by id alone, and previewed
        var resumed = await PrepareAsync(new RunPreparationRequest(null) { Resume = "r1", Results = Results });
        var preview = await PrepareAsync(new RunPreparationRequest(null) { Resume = "r1", Results = Results, DryRun = true });

        // Then
        resumed.IsSuccess.ShouldBeTrue(string.Join("\n", resumed.Problems));
        resumed.Plan!.Definition.Name.ShouldBe("tiny");
        resumed.ResultsRoot.ShouldBe(Results);
        resumed.Run!.Resume.ShouldBe("r1");
        preview.RunDirectoryHint.ShouldBe(Path.Combine(Results, "tiny", "r1"));
        preview.ResumePreview.ShouldBe(new ResumePreview("r1", preview.ResumePreview!.Differences, 1, 1));
        preview.ResumePreview.Differences.IsEmpty.ShouldBeTrue();
        preview.ResumePreview.Refused(force: false).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_dry_run_resume_of_a_run_that_does_not_exist_when_prepared_then_the_preview_says_why_it_would_be_refused()
    {
        // When
        var prepared = await PrepareAsync(Request() with { DryRun = true, Resume = "nope" });

        // Then the plan is still shown; the resume would be refused
        prepared.IsSuccess.ShouldBeTrue();
        prepared.RunDirectoryHint.ShouldBe("nope (not found)");
        prepared.ResumePreview!.Problem!.Message.ShouldStartWith("--resume nope: ");
        prepared.ResumePreview.Refused(force: true).ShouldBeTrue();
    }

    /// <summary>A machine without nvidia-smi: asking it fails the test.</summary>
    private sealed class NoCommands : ICommandRunner
    {
        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{file} was not expected to run");
    }

    /// <summary>nvidia-smi -L answering <paramref name="output"/>.</summary>
    private sealed class GpuList(string output) : ICommandRunner
    {
        public int Calls { get; private set; }

        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken cancellationToken)
        {
            Calls++;
            file.ShouldBe("nvidia-smi");
            return Task.FromResult(new CommandResult(0, output, ""));
        }
    }
}
