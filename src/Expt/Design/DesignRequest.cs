namespace Expt.Design;

/// <summary>
/// What <c>expt design</c> was asked, as the command line gave it: values not yet checked (the options the plan
/// shares with <c>expt run</c> are checked by <see cref="Execution.Preparation.RunPreparation"/>, the rest by
/// <see cref="Designer"/>).
/// </summary>
/// <param name="SpecPath">The spec file or its directory.</param>
public sealed record DesignRequest(string SpecPath)
{
    /// <summary><c>--set KEY=VALUE</c> overrides.</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    /// <summary><c>--seeds N</c>: every variant once per seed 1..N instead of the spec's <c>seeds:</c>.</summary>
    public int? Seeds { get; init; }

    /// <summary><c>--filter KEY=VALUE</c> conditions.</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];

    /// <summary><c>--only STAGE</c> names.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary><c>--skip STAGE</c> names.</summary>
    public IReadOnlyList<string> Skip { get; init; } = [];

    /// <summary><c>-p</c>: most jobs at once in the simulated schedule (default: the machine's cores).</summary>
    public int? Parallel { get; init; }

    /// <summary><c>--gpus</c>: GPU ids, <c>none</c>, or null to detect them as <c>expt run</c> would.</summary>
    public string? Gpus { get; init; }

    /// <summary><c>--executor</c>.</summary>
    public string? Executor { get; init; }

    /// <summary><c>--results</c>: the results root whose history the estimates rest on and where the output would go.</summary>
    public string? Results { get; init; }

    /// <summary><c>--max-variants</c>.</summary>
    public int? MaxVariants { get; init; }

    /// <summary><c>--max-jobs</c>.</summary>
    public int? MaxJobs { get; init; }

    /// <summary><c>-o DIR</c>: where experiment_summary.md and design.log go; null for the spec's folder.</summary>
    public string? OutputDirectory { get; init; }
}
