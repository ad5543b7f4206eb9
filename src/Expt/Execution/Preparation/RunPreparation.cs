using System.Text.Json;
using Expt.Execution.Backends;
using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution.Preparation;

/// <summary>
/// Everything <c>expt run</c> decides before a job starts, in one step: which spec (the run's own on a bare
/// <c>--resume</c>), the plan, the results root, the executor, the execution options (parallelism, grace, retry
/// delay, GPUs given or detected) and the run id. The command only parses its options into a
/// <see cref="RunPreparationRequest"/> and renders the <see cref="PreparedRun"/>.
/// </summary>
public static class RunPreparation
{
    /// <summary>Prepares the run (or, with <see cref="RunPreparationRequest.DryRun"/>, only its plan) that <paramref name="request"/> asks for.</summary>
    public static async Task<PreparedRun> PrepareAsync(RunPreparationRequest request, ExecutorRegistry executors, RunMachine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(executors);
        ArgumentNullException.ThrowIfNull(machine);
        string? specProblem = null;
        string? runRoot = null;
        var specPath = request.Definition?.SourcePath ?? request.SpecPath ?? SpecOfRun(request.Resume, ResultsRoot.Resolve(request.Results), out specProblem, out runRoot);
        if (specPath is null) return PreparedRun.Refused(specProblem!);
        foreach (var (option, limit) in new[] { ("--max-variants", request.MaxVariants), ("--max-jobs", request.MaxJobs) })
        {
            if (limit is < 1) return PreparedRun.Refused($"{option} {limit}: expected 1 or more");
        }
        var planRequest = new PlanRequest(specPath, request.Sets, request.Filters, request.Only, request.Skip)
        {
            MaxVariants = request.MaxVariants ?? PlanLimits.DefaultMaxVariants,
            MaxJobs = request.MaxJobs ?? PlanLimits.DefaultMaxJobs,
            Executors = executors,
            Seeds = request.Seeds,
            CheckExistence = request.CheckExistence,
        };
        var prepared = request.Definition is { } definition ? ExperimentPreparer.Prepare(definition, planRequest) : ExperimentPreparer.Prepare(planRequest);
        if (!prepared.IsSuccess) return new PreparedRun { SpecErrors = prepared.Errors, Warnings = prepared.Warnings };
        var plan = prepared.Plan!;
        // Next to the spec, not where the command is typed; a run resumed by itself stays in the root it was found in.
        var root = runRoot ?? ResultsRoot.Resolve(request.Results, Path.GetDirectoryName(plan.Definition.SourcePath));
        var planned = new PreparedRun { Plan = plan, Warnings = prepared.Warnings, ResultsRoot = root };
        if (request.DryRun)
        {
            return planned with
            {
                RunDirectoryHint = RunDirectoryHint(root, plan, request.Resume, request.RunId),
                ResumePreview = request.Resume is { } toResume ? PreviewResume(root, plan, toResume) : null,
            };
        }

        var resumed = request.Resume is { } resume ? ResultsRoot.Locate(root, resume, plan.Definition.Name, out _) : null;
        var backend = executors.Choose(request.Executor, plan, resumed is null ? null : ExecutorRegistry.NameOfRun(resumed), out var executorProblem);
        if (backend is null) return PreparedRun.Refused(executorProblem!);
        if (request.Detach && backend.RunsOnThisMachine)
        {
            return PreparedRun.Refused("--detach needs --executor slurm (local jobs live as long as their runner)");
        }
        var options = await OptionsAsync(request, plan, backend, machine, cancellationToken).ConfigureAwait(false);
        if (options.Problem is not null) return PreparedRun.Refused(options.Problem);
        if (request.RunId is { } runId && VariantNames.Problem(runId) is { } idProblem)
        {
            return PreparedRun.Refused($"--run-id '{runId}' {idProblem}; a run id becomes a directory name");
        }
        var narrowed = request.Filters.Count + request.Only.Count + request.Skip.Count > 0;
        return planned with
        {
            Backend = backend,
            Options = options.Value,
            Run = new RunRequest(root, request.RunId, request.Resume, request.Force, narrowed, request.CommandLine),
        };
    }

    /// <summary>
    /// What a resume of <paramref name="resume"/> in <paramref name="root"/> would find for <paramref name="plan"/>:
    /// the jobs it would skip, and how the spec's jobs now differ from the run's.
    /// </summary>
    public static ResumePreview PreviewResume(string root, Plan plan, string resume)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var dir = ResultsRoot.Locate(root, resume, plan.Definition.Name, out var problem);
        RunManifest? manifest = null;
        try
        {
            manifest = dir is null ? null : ManifestStore.Read(dir);
        }
        catch (JsonException e)
        {
            problem = $"{dir}: {e.Message}";
        }
        if (dir is null || manifest is null)
        {
            return ResumePreview.Unreadable($"--resume {resume}: {problem ?? $"{dir} has no {RunManifest.FileName}"}");
        }
        var differences = ResumeCheck.Compare(plan, manifest, dir, selectionNarrowed: false);
        var jobs = plan.Jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        // As the manifest says; a job that ended while no runner watched is found only by the resume itself.
        var succeeded = manifest.Jobs.Count(j => jobs.Contains(j.Id) && j.State == JobState.Succeeded && !differences.ChangedIds.Contains(j.Id));
        return new ResumePreview(manifest.RunId, differences, succeeded, plan.Jobs.Count);
    }

    /// <summary>The spec a run was made from, so that <c>expt run --resume RUN</c> needs nothing else.</summary>
    private static string? SpecOfRun(string? resume, string root, out string? problem, out string? runRoot)
    {
        runRoot = null;
        if (resume is null)
        {
            problem = "missing SPEC: give the experiment's spec file (or --resume RUN to continue a run)";
            return null;
        }
        var dir = ResultsRoot.Locate(root, resume, null, out problem);
        if (dir is null)
        {
            problem = $"--resume {resume}: {problem}";
            return null;
        }
        runRoot = Results.RunReader.ResultsRootOf(dir);
        var manifest = ManifestStore.Read(dir);
        // A C# suite's run is resumed from its resolved spec.yaml: the suite file is code, not a spec.
        if (manifest?.SpecPath is { } original && File.Exists(original) && !original.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) return original;
        var resolved = Path.Combine(dir, "spec.yaml");
        if (File.Exists(resolved)) return resolved;
        problem = $"--resume {resume}: the run's spec is gone ({manifest?.SpecPath ?? "unknown"}); give the spec file";
        return null;
    }

    /// <summary>The machine's defaults changed by the command line; the GPUs detected when none are given and the jobs run here.</summary>
    private static async Task<(ExecutionOptions Value, string? Problem)> OptionsAsync(RunPreparationRequest request, Plan plan, IExecutorBackend backend, RunMachine machine, CancellationToken cancellationToken)
    {
        var options = machine.Defaults with { Detach = request.Detach, KeepGoing = request.KeepGoing };
        if (request.Parallel is { } p)
        {
            if (p < 1) return (options, $"--parallel {p}: expected 1 or more");
            options = options with { Parallelism = p };
        }
        if (request.RetryDelay is { } delay) options = options with { RetryBackoff = TimeSpan.FromSeconds(Math.Max(0, delay)) };
        if (request.Grace is { } grace) options = options with { KillGrace = TimeSpan.FromSeconds(Math.Max(0, grace)) };
        if (request.Gpus is { } gpuText)
        {
            var gpus = GpuDetector.ParseOption(gpuText, out var problem);
            return gpus is null ? (options, problem) : (options with { Gpus = gpus }, null);
        }
        if (backend.RunsOnThisMachine && (plan.Jobs.Any(j => j.Stage.Resources.Gpus > 0) || machine.HasNvidiaSmi))
        {
            options = options with { Gpus = await GpuDetector.DetectAsync(machine.Commands, cancellationToken).ConfigureAwait(false) };
        }
        return (options, null);
    }

    private static string RunDirectoryHint(string root, Plan plan, string? resume, string? runId)
    {
        if (resume is not null)
        {
            return ResultsRoot.Locate(root, resume, plan.Definition.Name, out _) ?? $"{resume} (not found)";
        }
        return Path.Combine(root, plan.Definition.Name, runId ?? "{YYYYMMDD_HHMMSS}_{git7}") + "/";
    }
}
