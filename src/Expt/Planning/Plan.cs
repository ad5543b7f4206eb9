using Expt.Specs;

namespace Expt.Planning;

/// <summary>Every variant and job of an experiment, before anything runs.</summary>
/// <param name="Definition">The definition it was made from (after overrides).</param>
/// <param name="Variants">Variants in plan order.</param>
/// <param name="Jobs">The selected jobs (after --filter, --only, --skip), in a valid execution order (needs before their dependants).</param>
/// <param name="Warnings">Problems worth showing that do not stop the run.</param>
public sealed record Plan(ExperimentDefinition Definition, IReadOnlyList<Variant> Variants, IReadOnlyList<PlannedJob> Jobs, IReadOnlyList<SpecError> Warnings)
{
    /// <summary>Every job of the experiment, selected or not: a run's manifest lists them all, so that a later
    /// <c>--resume</c> with another selection is the same experiment, not a changed one.</summary>
    public IReadOnlyList<PlannedJob> AllJobs { get; init; } = Jobs;

    /// <summary>True when the experiment has a single implicit stage.</summary>
    public bool IsSingleStage => Definition.Stages.Count == 1 && Definition.Stages[0].IsImplicit;
}

/// <summary>The outcome of planning: a plan, or every problem found.</summary>
public sealed record PlanResult(Plan? Plan, IReadOnlyList<SpecError> Errors)
{
    /// <summary>True when a plan was made.</summary>
    public bool IsSuccess => Plan is not null && Errors.Count == 0;
}
