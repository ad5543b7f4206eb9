using Expt.Execution.Backends;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>What the user asked to plan: a spec and the command-line values that shape it.</summary>
/// <param name="SpecPath">The spec file (or its directory).</param>
/// <param name="Sets">--set KEY=VALUE overrides.</param>
/// <param name="Filters">--filter KEY=VALUE conditions.</param>
/// <param name="Only">--only STAGE names.</param>
/// <param name="Skip">--skip STAGE names.</param>
public sealed record PlanRequest(string SpecPath, IReadOnlyList<string> Sets, IReadOnlyList<string> Filters, IReadOnlyList<string> Only, IReadOnlyList<string> Skip)
{
    /// <summary>A request for a spec with nothing else.</summary>
    public static PlanRequest For(string specPath) => new(specPath, [], [], [], []);

    /// <summary>The most variants the plan may have (<c>--max-variants</c>).</summary>
    public long MaxVariants { get; init; } = PlanLimits.DefaultMaxVariants;

    /// <summary>The most jobs the plan may have (<c>--max-jobs</c>).</summary>
    public long MaxJobs { get; init; } = PlanLimits.DefaultMaxJobs;

    /// <summary>The executor backends the spec may name in its <c>executor:</c> block (by default only local).</summary>
    public ExecutorRegistry Executors { get; init; } = new();

    /// <summary><c>--seeds N</c>: cross every variant with the seeds 1..N instead of the spec's <c>seeds:</c>; null for the spec's.</summary>
    public int? Seeds { get; init; }

    /// <summary>
    /// Whether a missing <c>must_exist</c> path and a missing program or script of a stage's <c>run</c> are errors
    /// (true, for <c>expt run</c> and <c>expt plan</c>); false plans without looking, for <c>expt design</c>, which
    /// reports them as resources instead.
    /// </summary>
    public bool CheckExistence { get; init; } = true;
}

/// <summary>A plan ready to run, or every problem that stops it, with warnings either way.</summary>
public sealed record PreparedPlan(Plan? Plan, IReadOnlyList<SpecError> Errors, IReadOnlyList<SpecError> Warnings)
{
    /// <summary>True when nothing stops the run.</summary>
    public bool IsSuccess => Plan is not null && Errors.Count == 0;
}

/// <summary>
/// Load → apply overrides → plan → check the file system (<c>must_exist</c>): everything that must hold
/// before anything runs or is written, with all problems reported together. The file-system checks (and the
/// loader's program check) are left out when <see cref="PlanRequest.CheckExistence"/> is false.
/// </summary>
public static class ExperimentPreparer
{
    /// <summary>Prepares the plan of a spec file.</summary>
    public static PreparedPlan Prepare(PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var loaded = SpecLoader.Load(request.SpecPath, request.Executors, request.CheckExistence);
        if (!loaded.IsSuccess) return new PreparedPlan(null, loaded.Errors, loaded.Warnings);
        return Prepare(loaded.Definition!, request, loaded.Warnings);
    }

    /// <summary>Prepares the plan of a definition built in code (a C# suite).</summary>
    public static PreparedPlan Prepare(ExperimentDefinition definition, PlanRequest request, IReadOnlyList<SpecError>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<SpecError>();
        var seeded = CommandLineValues.ApplySeeds(definition, request.Seeds, request.Sets, request.MaxVariants, errors);
        var resolved = CommandLineValues.ApplySets(seeded, request.Sets, errors);
        var filters = CommandLineValues.ParseFilters(resolved, request.Filters, errors);
        if (errors.Count > 0) return new PreparedPlan(null, errors, warnings ?? []);
        var planned = Planner.Create(resolved, new PlanOptions(filters, request.Only, request.Skip) { MaxVariants = request.MaxVariants, MaxJobs = request.MaxJobs });
        if (!planned.IsSuccess) return new PreparedPlan(null, planned.Errors, warnings ?? []);
        var plan = planned.Plan!;
        if (request.CheckExistence) errors.AddRange(CheckPaths(plan));
        errors.AddRange(CheckCommands(plan));
        var allWarnings = (warnings ?? []).Concat(plan.Warnings).ToList();
        return errors.Count > 0 ? new PreparedPlan(null, errors, allWarnings) : new PreparedPlan(plan, [], allWarnings);
    }

    /// <summary>Every placeholder of every job's command has a value for that job; reported once per stage and kind.</summary>
    public static IEnumerable<SpecError> CheckCommands(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var seen = new HashSet<(string, string, string)>();
        // Whether a placeholder resolves depends only on the template and the names of the job's values, which every job
        // of one stage, kind and role (shard or merge) shares: one job of each is checked, the first in plan order.
        var checkedShapes = new HashSet<(string, string, bool)>();
        foreach (var job in plan.AllJobs)
        {
            if (!checkedShapes.Add((job.Stage.Name, job.Variant.Kind, job.IsMerge))) continue;
            foreach (var field in CommandBuilder.Unresolvable(plan, job))
            {
                if (!seen.Add((job.Stage.Name, job.Variant.Kind, field))) continue;
                var axes = job.Cell.Count == 0 ? "none" : string.Join(", ", job.Cell.Select(c => c.Key));
                yield return new SpecError(job.Stage.Location, job.Stage.IsImplicit ? "run" : $"stages.{job.Stage.Name}.run",
                    $"'{{{field}}}' has no value for variants of kind '{job.Variant.Kind}' (e.g. {job.Id}); their cell axes are: {axes}. Read it from $EXPT_CONFIG instead, or give that kind the axis");
            }
        }
    }

    /// <summary>Every <c>must_exist</c> path of every variant, resolved from the jobs' working directory.</summary>
    public static IEnumerable<SpecError> CheckPaths(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var param in plan.Definition.Params.Where(p => p.MustExist))
        {
            foreach (var variant in plan.Variants)
            {
                var value = variant.Get(param.Name);
                if (value is null) continue;
                var text = value.GetValue<string>();
                var full = Path.GetFullPath(Path.Combine(plan.Definition.WorkingDirectory, text));
                if (File.Exists(full) || Directory.Exists(full) || !reported.Add(full)) continue;
                yield return new SpecError(param.Location, $"params.{param.Name}",
                    $"path '{text}' does not exist (resolved to {full}{(plan.Variants.Count > 1 ? $", variant '{variant.Name}'" : "")}); 'must_exist' is set");
            }
        }
    }
}
