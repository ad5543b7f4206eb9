using System.CommandLine;
using System.Runtime.InteropServices;
using Expt.Catalog;
using Expt.Cli.Rendering;
using Expt.Design;
using Expt.Execution;
using Expt.Execution.Preparation;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Cli.Commands;

/// <summary><c>expt run SPEC</c> and <c>expt plan SPEC</c>.</summary>
internal static class RunCommand
{
    private static readonly Argument<string?> Spec = RunReference.RejectingOptions(new Argument<string?>("spec") { Description = "The experiment spec (experiment.yaml) or its directory; with --resume it may be left out (the run's own spec is used)", Arity = ArgumentArity.ZeroOrOne });
    private static readonly Option<bool> DryRun = new("--dry-run") { Description = "Print every job, its kind, changed params and directory; run and write nothing" };
    private static readonly Option<int?> Parallel = NumberOptions.WholeNumber(new Option<int?>("--parallel", "-p") { Description = "Most jobs at once (default: number of cores)" });
    private static readonly Option<string?> Resume = new("--resume") { Description = "Continue a run: its directory, its id, or 'latest'" };
    private static readonly Option<string[]> Set = new("--set") { Description = "Override a param: KEY=VALUE (typed like the spec; on a matrix factor it replaces the levels)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<int?> Seeds = NumberOptions.WholeNumber(new Option<int?>("--seeds") { Description = "Run every variant, controls included, once per seed 1..N (replaces the spec's seeds:)" });
    private static readonly Option<string[]> Filter = new("--filter") { Description = "Keep only variants whose param KEY equals VALUE (also kind=, variant=)", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<string[]> Only = new("--only") { Description = "Run only these stages", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string[]> Skip = new("--skip") { Description = "Skip these stages (their earlier results in a resumed run are reused)", Arity = ArgumentArity.ZeroOrMore, AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> Results = new("--results") { Description = "Results root (default: $EXPT_RESULTS, else results/ at the top of the spec's git repository, else next to the spec)" };
    private static readonly Option<string?> RunId = new("--run-id") { Description = "Name the run instead of {timestamp}_{git7}" };
    private static readonly Option<bool> Force = new("--force") { Description = "Resume even if the spec now resolves to different jobs (changed jobs rerun)" };
    private static readonly Option<string?> Gpus = new("--gpus") { Description = "GPU ids jobs may use, e.g. 0,1,2,3 (default: what nvidia-smi -L lists; 'none')" };
    private static readonly Option<double?> Grace = NumberOptions.Seconds(new Option<double?>("--grace") { Description = "Seconds between SIGTERM and SIGKILL when stopping jobs (default 10)" });
    private static readonly Option<double?> RetryDelay = NumberOptions.Seconds(new Option<double?>("--retry-delay") { Description = "Seconds before the first retry of a failed job; doubled for each further retry (default 5)" });
    private static readonly Option<bool> Json = new("--json") { Description = "With --dry-run: print the plan as JSON" };
    private static readonly Option<string?> Executor = new("--executor") { Description = "Where jobs run: local (default) or slurm (default: the spec's executor.type)" };
    private static readonly Option<int?> MaxVariants = NumberOptions.WholeNumber(new Option<int?>("--max-variants") { Description = "Refuse a plan of more variants than this, counted before anything is expanded (default 1000000)" });
    private static readonly Option<int?> MaxJobs = NumberOptions.WholeNumber(new Option<int?>("--max-jobs") { Description = "Refuse a plan of more jobs (cells, shards and merges included) than this (default 1000000)" });
    private static readonly Option<bool> Detach = new("--detach") { Description = "With slurm: return once the jobs are submitted (follow later with expt watch RUN)" };
    private static readonly Option<bool> KeepGoing = new("--keep-going") { Description = "Run every job even when the first jobs of a stage all fail the same way (by default the rest of that stage is not started)" };

    public static Command Create(CliContext context)
    {
        var command = new Command("run", "Run an experiment: every variant, isolated and in parallel; --resume finishes an earlier run");
        foreach (var o in new Option[] { DryRun, Parallel, Resume, Set, Seeds, Filter, Only, Skip, Results, RunId, Force, Gpus, Grace, RetryDelay, Json, Executor, Detach, KeepGoing, MaxVariants, MaxJobs }) command.Add(o);
        command.Add(Spec);
        command.SetAction((parse, ct) => ExecuteAsync(context, parse, dryRun: parse.GetValue(DryRun)));
        return command;
    }

    /// <summary>
    /// The root command of a C# suite (<c>dotnet run suite.cs -- [options]</c>): the options of <c>expt run</c> that
    /// fit a suite, on the definition <paramref name="build"/> makes (every case validated first; exit 2 when any is not).
    /// </summary>
    public static RootCommand CreateSuite(CliContext context, Func<SpecLoadResult> build, string commandLine)
    {
        var command = new RootCommand("Run this C# suite: every case, isolated and in parallel; --resume finishes an earlier run");
        foreach (var o in new Option[] { DryRun, Parallel, Resume, Set, Seeds, Filter, Results, RunId, Force, Gpus, Grace, RetryDelay, Json, Executor, Detach, KeepGoing, MaxVariants, MaxJobs }) command.Add(o);
        command.SetAction((parse, ct) =>
        {
            var built = build();
            if (!built.IsSuccess)
            {
                ErrorRenderer.Write(context.Error, built.Errors, built.Warnings);
                return Task.FromResult(ExitCodes.InvalidInput);
            }
            return ExecuteAsync(context, parse, parse.GetValue(DryRun), new Suite(built.Definition!, commandLine));
        });
        return command;
    }

    /// <summary>A suite's definition, run instead of a spec file, and the command line its manifest records.</summary>
    private sealed record Suite(ExperimentDefinition Definition, string CommandLine);

    public static Command CreatePlan(CliContext context)
    {
        var command = new Command("plan", "Show the plan of an experiment (same as run --dry-run)");
        foreach (var o in new Option[] { Set, Seeds, Filter, Only, Skip, Results, RunId, Json, MaxVariants, MaxJobs }) command.Add(o);
        command.Add(Spec);
        command.SetAction((parse, ct) => ExecuteAsync(context, parse, dryRun: true));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliContext context, ParseResult parse, bool dryRun, Suite? suite = null)
    {
        var request = new RunPreparationRequest(suite is null ? parse.GetValue(Spec) : null)
        {
            Definition = suite?.Definition,
            Sets = parse.GetValue(Set) ?? [], Filters = parse.GetValue(Filter) ?? [], Only = parse.GetValue(Only) ?? [], Skip = parse.GetValue(Skip) ?? [],
            MaxVariants = parse.GetValue(MaxVariants), MaxJobs = parse.GetValue(MaxJobs), Results = parse.GetValue(Results),
            Resume = parse.GetValue(Resume), RunId = parse.GetValue(RunId), Force = parse.GetValue(Force), DryRun = dryRun,
            Executor = parse.GetValue(Executor), Detach = parse.GetValue(Detach), KeepGoing = parse.GetValue(KeepGoing),
            Parallel = parse.GetValue(Parallel), Grace = parse.GetValue(Grace), RetryDelay = parse.GetValue(RetryDelay), Gpus = parse.GetValue(Gpus),
            Seeds = parse.GetValue(Seeds),
            CommandLine = suite?.CommandLine ?? "expt " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
        };
        var machine = RunMachine.This();
        var prepared = await RunPreparation.PrepareAsync(request, context.Executors, machine, CancellationToken.None).ConfigureAwait(false);
        if (prepared.SpecErrors.Count > 0)
        {
            ErrorRenderer.Write(context.Error, prepared.SpecErrors, prepared.Warnings);
            return ExitCodes.InvalidInput;
        }
        if (!prepared.IsSuccess)
        {
            ErrorRenderer.Write(context.Error, prepared.Problems);
            return ExitCodes.InvalidInput;
        }
        var plan = prepared.Plan!;
        ErrorRenderer.Write(context.Error, [], prepared.Warnings);
        if (dryRun)
        {
            if (parse.GetValue(Json)) PlanRenderer.WriteJson(context.Out, plan);
            else PlanRenderer.Write(context.Out, plan, prepared.RunDirectoryHint);
            return prepared.ResumePreview is { } preview ? WriteResumePreview(context, preview, request.Force) : ExitCodes.Success;
        }
        var design = await RunDesign.ForRunAsync(context, prepared, machine).ConfigureAwait(false);
        return await RunAsync(context, prepared, design).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(CliContext context, PreparedRun prepared, ExperimentDesign? design)
    {
        var (plan, backend, options, root) = (prepared.Plan!, prepared.Backend!, prepared.Options!, prepared.ResultsRoot);
        var engine = new RunEngine(backend.CreateExecutor(context.Time), new GitCliProvenance([root]), context.Time);
        var observer = new ConsoleRunObserver(context, plan.Jobs.Count, backend.Banner(plan.Definition.Name, plan.Jobs.Count, options) + RunDesign.Estimate(design));
        using var stop = new RunStop();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Request("SIGINT"); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Request("SIGTERM"); });
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; stop.Request("SIGHUP"); });
        using var catalog = new CatalogRunRecorder(observer, root, context.Time);
        // The run directory's own experiment_summary.md, kept current while the run goes (when there is a design).
        using var summary = design is null ? null : new LiveSummary(catalog, design, context.Time);
        var outcome = await observer.WatchAsync(engine.RunAsync(plan, prepared.Run!, options, (IRunObserver?)summary ?? catalog, stop)).ConfigureAwait(false);
        summary?.Complete();
        catalog.Complete();
        if (outcome.ExitCode == ExitCodes.InvalidInput)
        {
            ErrorRenderer.Write(context.Error, outcome.Errors);
            return ExitCodes.InvalidInput;
        }
        if (outcome.Detached)
        {
            SummaryRenderer.WriteDetached(context.Out, outcome, Environment.CurrentDirectory);
            return outcome.Interrupted ? (outcome.StopReason == "SIGTERM" ? ExitCodes.Terminated : ExitCodes.Interrupted) : outcome.ExitCode;
        }
        // The hint names the root only when the resume would not find it by itself (from the spec, or $EXPT_RESULTS).
        var defaultRoot = ResultsRoot.Resolve(null, Path.GetDirectoryName(plan.Definition.SourcePath));
        SummaryRenderer.Write(context.Out, outcome, Environment.CurrentDirectory, plan.Definition.SourcePath, root == defaultRoot ? null : root);
        if (outcome.Fault is { } fault)
        {
            context.Error.WriteLine($"error: {fault.Describe()}; no job was started after it. {(fault.DiskFull ? "Free space" : "Fix that")}, then resume with --resume.");
        }
        if (outcome.Interrupted)
        {
            context.Error.WriteLine($"Interrupted by {outcome.StopReason}: running jobs were stopped and marked cancelled; resume with --resume.");
            return outcome.StopReason == "SIGTERM" ? ExitCodes.Terminated : ExitCodes.Interrupted;
        }
        return outcome.ExitCode;
    }

    /// <summary>
    /// For <c>--dry-run --resume</c>: what the resume would find, and the refusal it would give (same exit code), so a
    /// dry run never promises a resume that the real one refuses.
    /// </summary>
    private static int WriteResumePreview(CliContext context, ResumePreview preview, bool force)
    {
        if (preview.Problem is { } problem)
        {
            context.Error.WriteLine($"error: {problem.Message}");
            return ExitCodes.InvalidInput;
        }
        var differences = preview.Differences;
        if (!differences.IsEmpty)
        {
            context.Error.WriteLine(force
                ? $"note: the spec now resolves to different jobs than run {preview.RunId}; with --force the resume reruns the changed and new jobs:"
                : $"error: the spec now resolves to different jobs than run {preview.RunId}; the resume would be refused and run nothing. Use --force to resume anyway (changed jobs rerun), or start a new run.");
            foreach (var line in differences.Lines.Take(20)) context.Error.WriteLine("  " + line);
            var total = differences.Changed.Count + differences.Added.Count + differences.Removed.Count;
            if (total > 20) context.Error.WriteLine($"  … and {total - 20} more");
            if (!force) return ExitCodes.InvalidInput;
        }
        var rest = preview.Total - preview.Succeeded;
        context.Out.WriteLine($"Resume of {preview.RunId}: {preview.Succeeded} of {preview.Total} job(s) already succeeded and would be skipped; " +
            (rest == 0 ? "nothing is left to run." : $"{rest} would run."));
        return ExitCodes.Success;
    }
}
