using Expt.Planning;

namespace Expt.Design;

/// <summary>
/// Everything <c>expt design</c> found about a planned study before anything runs: the plan, the resources it needs,
/// each job's estimated cost from history, the totals and the problems. <c>experiment_summary.md</c>,
/// <c>design.log</c> and <c>--json</c> are views of it.
/// </summary>
public sealed record ExperimentDesign
{
    /// <summary>The plan (every variant and job).</summary>
    public required Plan Plan { get; init; }

    /// <summary>The spec file the plan came from.</summary>
    public required string SpecPath { get; init; }

    /// <summary>Where results would be written.</summary>
    public required string ResultsRoot { get; init; }

    /// <summary>How it would run.</summary>
    public required DesignSettings Settings { get; init; }

    /// <summary>One estimate per job of <see cref="Plan.Jobs"/>, in the same order.</summary>
    public required IReadOnlyList<JobEstimate> Estimates { get; init; }

    /// <summary>Every path, script and program the plan names, as found.</summary>
    public required IReadOnlyList<ResourceCheck> Resources { get; init; }

    /// <summary>The study's totals.</summary>
    public required DesignTotals Totals { get; init; }

    /// <summary>Free bytes at the results root, when known.</summary>
    public long? FreeDiskBytes { get; init; }

    /// <summary>Earlier runs and succeeded jobs of this experiment the estimates rest on.</summary>
    public int HistoryRuns { get; init; }

    /// <summary>Succeeded jobs of earlier runs the estimates rest on.</summary>
    public int HistoryJobs { get; init; }

    /// <summary>What is missing (each makes <c>expt design</c> exit 1), in words.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>What deserves a look but does not stop the study (a short disk, extrapolated estimates).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Every check and calculation, in order, for <c>design.log</c>.</summary>
    public IReadOnlyList<DesignLogEntry> Log { get; init; } = [];

    /// <summary>When the design was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
}
