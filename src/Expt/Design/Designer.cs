using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Execution.Preparation;
using Expt.Planning;

namespace Expt.Design;

/// <summary>
/// <c>expt design</c> in one step: the plan (as <c>expt plan</c> makes it, a missing path being a finding rather than a
/// spec error), the resources it names, the history of the experiment, each job's estimate, the totals under the given
/// parallelism and GPUs, free disk at the results root, and a log entry for every check and calculation. Nothing is
/// run and nothing is written: the command renders and writes the result.
/// </summary>
public static class Designer
{
    /// <summary>Designs the study <paramref name="request"/> asks for.</summary>
    public static async Task<DesignResult> DesignAsync(DesignRequest request, ExecutorRegistry executors, DesignServices services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(executors);
        ArgumentNullException.ThrowIfNull(services);
        var preparation = new RunPreparationRequest(request.SpecPath)
        {
            Sets = request.Sets, Filters = request.Filters, Only = request.Only, Skip = request.Skip, Seeds = request.Seeds,
            MaxVariants = request.MaxVariants, MaxJobs = request.MaxJobs, Results = request.Results,
            DryRun = true, CheckExistence = false,
        };
        var prepared = await RunPreparation.PrepareAsync(preparation, executors, services.Machine, ct).ConfigureAwait(false);
        if (!prepared.IsSuccess) return new DesignResult { SpecErrors = prepared.SpecErrors, Warnings = prepared.Warnings, Problems = prepared.Problems };
        var plan = prepared.Plan!;
        if (request.Parallel is < 1) return Refused(prepared, $"--parallel {request.Parallel}: expected 1 or more");
        var backend = executors.Choose(request.Executor, plan, null, out var executorProblem);
        if (backend is null) return Refused(prepared, executorProblem!);
        var parallel = request.Parallel ?? services.Machine.Defaults.Parallelism;
        int gpuSlots;
        if (request.Gpus is { } gpuText)
        {
            var gpus = GpuDetector.ParseOption(gpuText, out var gpuProblem);
            if (gpus is null) return Refused(prepared, gpuProblem!);
            gpuSlots = gpus.Count;
        }
        else if (!backend.RunsOnThisMachine)
        {
            gpuSlots = UnboundedGpus(plan, parallel);
        }
        else
        {
            // Found as expt run finds them, so that the schedule is the one the run would have.
            var wanted = plan.Jobs.Any(j => j.Stage.Resources.Gpus > 0) || services.Machine.HasNvidiaSmi;
            gpuSlots = wanted ? (await GpuDetector.DetectAsync(services.Machine.Commands, ct).ConfigureAwait(false)).Count : 0;
        }
        var settings = new DesignSettings(parallel, gpuSlots, backend.Name, RunArguments(request));
        var output = Path.GetFullPath(request.OutputDirectory ?? Path.GetDirectoryName(plan.Definition.SourcePath) ?? ".");
        var design = Build(plan, new Target(prepared.ResultsRoot, settings, request.SpecPath, output), ResourceVerifier.Verify(plan), services);
        return new DesignResult { Design = design, Warnings = prepared.Warnings, OutputDirectory = output };
    }

    /// <summary>
    /// The design of a run about to start, for the run's own <c>experiment_summary.md</c>: history, estimates, totals
    /// and free disk under the run's own options. Cheap (resources are not verified again: the run finds out by running)
    /// and never in the run's way: null on any failure.
    /// </summary>
    public static Task<ExperimentDesign?> ForRunAsync(PreparedRun prepared, DesignServices services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(services);
#pragma warning disable CA1031 // the run's summary must never stop the run: any failure means no summary
        try
        {
            ct.ThrowIfCancellationRequested();
            if (prepared.Plan is not { } plan) return Task.FromResult<ExperimentDesign?>(null);
            var parallel = prepared.Options?.Parallelism ?? services.Machine.Defaults.Parallelism;
            var local = prepared.Backend?.RunsOnThisMachine ?? true;
            var gpuSlots = local ? prepared.Options?.Gpus.Count ?? 0 : UnboundedGpus(plan, parallel);
            var settings = new DesignSettings(parallel, gpuSlots, prepared.Backend?.Name ?? ExecutorRegistry.DefaultName, []);
            var design = Build(plan, new Target(prepared.ResultsRoot, settings, plan.Definition.SourcePath, OutputDirectory: null), [], services);
            return Task.FromResult<ExperimentDesign?>(design);
        }
        catch (Exception)
        {
            return Task.FromResult<ExperimentDesign?>(null);
        }
#pragma warning restore CA1031
    }

    /// <summary>Where a design's study would run and its files go.</summary>
    private sealed record Target(string ResultsRoot, DesignSettings Settings, string SpecAsGiven, string? OutputDirectory);

    private static ExperimentDesign Build(Plan plan, Target target, IReadOnlyList<ResourceCheck> resources, DesignServices services)
    {
        var (root, settings) = (target.ResultsRoot, target.Settings);
        var history = JobHistory.Read(root, plan.Definition.Name);
        var estimator = new JobEstimator(history.Jobs, new HashSet<string>(StringComparer.Ordinal) { SeedCrossing.Seed });
        var estimates = plan.Jobs.Select(j => estimator.Estimate(j.Stage.Name, j.Config)).ToList();
        var totals = EstimateTotals.Compute(plan, estimates, settings.Parallel, settings.GpuSlots);
        var free = services.FreeSpace.FreeBytes(root);
        var inputs = new DesignInputs(plan, target.SpecAsGiven, root, settings, resources, history, estimates, totals, free, target.OutputDirectory);
        return DesignAssembly.Assemble(inputs, services.Time);
    }

    /// <summary>GPUs enough that they never hold a job back (a scheduler, not this machine, hands them out).</summary>
    private static int UnboundedGpus(Plan plan, int parallel) =>
        Math.Max(1, plan.Jobs.Select(j => j.Stage.Resources.Gpus).DefaultIfEmpty(0).Max()) * parallel;

    private static DesignResult Refused(PreparedRun prepared, string message) =>
        new() { Warnings = prepared.Warnings, Problems = [new RunProblem(message)] };

    /// <summary>The options to give <c>expt run</c> after the spec so that it runs the plan designed.</summary>
    private static List<string> RunArguments(DesignRequest r)
    {
        var args = new List<string>();
        foreach (var s in r.Sets) args.AddRange(["--set", s]);
        if (r.Seeds is { } seeds) args.AddRange(["--seeds", Invariant(seeds)]);
        foreach (var f in r.Filters) args.AddRange(["--filter", f]);
        foreach (var o in r.Only) args.AddRange(["--only", o]);
        foreach (var s in r.Skip) args.AddRange(["--skip", s]);
        if (r.Parallel is { } p) args.AddRange(["-p", Invariant(p)]);
        if (r.Gpus is { } g) args.AddRange(["--gpus", g]);
        if (r.Executor is { } e) args.AddRange(["--executor", e]);
        if (r.Results is { } results) args.AddRange(["--results", results]);
        if (r.MaxVariants is { } mv) args.AddRange(["--max-variants", Invariant(mv)]);
        if (r.MaxJobs is { } mj) args.AddRange(["--max-jobs", Invariant(mj)]);
        return args;
    }

    private static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
