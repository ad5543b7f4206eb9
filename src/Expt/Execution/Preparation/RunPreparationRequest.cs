namespace Expt.Execution.Preparation;

/// <summary>
/// What <c>expt run</c> (or <c>expt plan</c>) was asked, as the command line gave it: values not yet checked, so that
/// every check and look-up is made by <see cref="RunPreparation"/>.
/// </summary>
/// <param name="SpecPath">The spec file or its directory; null to use the spec of the run to resume.</param>
public sealed record RunPreparationRequest(string? SpecPath)
{
    /// <summary>
    /// A definition built in code (a C# suite, <see cref="Suites.SuiteDefinition"/>) to run instead of a spec file;
    /// everything else (overrides, filters, resume, executor) applies to it as to a spec's.
    /// </summary>
    public Specs.ExperimentDefinition? Definition { get; init; }

    /// <summary><c>--set KEY=VALUE</c> overrides.</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    /// <summary><c>--filter KEY=VALUE</c> conditions.</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];

    /// <summary><c>--only STAGE</c> names.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary><c>--skip STAGE</c> names.</summary>
    public IReadOnlyList<string> Skip { get; init; } = [];

    /// <summary><c>--max-variants</c>, when given.</summary>
    public int? MaxVariants { get; init; }

    /// <summary><c>--max-jobs</c>, when given.</summary>
    public int? MaxJobs { get; init; }

    /// <summary><c>--results</c>, when given.</summary>
    public string? Results { get; init; }

    /// <summary><c>--resume</c>: a run directory, a run id or <c>latest</c>.</summary>
    public string? Resume { get; init; }

    /// <summary><c>--run-id</c>.</summary>
    public string? RunId { get; init; }

    /// <summary><c>--force</c>: resume even when the spec now resolves to different jobs.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// <c>--dry-run</c> (and <c>expt plan</c>): only the plan, where the run would go and what a resume would find;
    /// the options of a real run (executor, parallelism, GPUs, run id) are neither checked nor resolved.
    /// </summary>
    public bool DryRun { get; init; }

    /// <summary><c>--executor</c>.</summary>
    public string? Executor { get; init; }

    /// <summary><c>--detach</c>.</summary>
    public bool Detach { get; init; }

    /// <summary><c>--keep-going</c>.</summary>
    public bool KeepGoing { get; init; }

    /// <summary><c>--parallel</c>.</summary>
    public int? Parallel { get; init; }

    /// <summary><c>--grace</c> in seconds.</summary>
    public double? Grace { get; init; }

    /// <summary><c>--retry-delay</c> in seconds.</summary>
    public double? RetryDelay { get; init; }

    /// <summary><c>--gpus</c>: GPU ids, <c>none</c>, or null to detect them.</summary>
    public string? Gpus { get; init; }

    /// <summary><c>--seeds N</c>: every variant once per seed 1..N instead of the spec's <c>seeds:</c>; null for the spec's.</summary>
    public int? Seeds { get; init; }

    /// <summary>
    /// Whether a missing <c>must_exist</c> path or a missing program or script of a stage's <c>run</c> is a spec error
    /// (true: <c>expt run</c>, <c>expt plan</c>). <c>expt design</c> sets false and reports them as resource problems.
    /// </summary>
    public bool CheckExistence { get; init; } = true;

    /// <summary>The command line, recorded in the run's manifest.</summary>
    public string CommandLine { get; init; } = "expt run";
}
