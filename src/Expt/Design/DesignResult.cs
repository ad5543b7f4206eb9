using Expt.Execution;
using Expt.Specs;

namespace Expt.Design;

/// <summary>A design, or why none could be made (an invalid spec or option: the command's invalid-input exit).</summary>
public sealed record DesignResult
{
    /// <summary>The design; null when the spec could not be planned or an option is wrong.</summary>
    public ExperimentDesign? Design { get; init; }

    /// <summary>The spec's problems, when it could not be planned.</summary>
    public IReadOnlyList<SpecError> SpecErrors { get; init; } = [];

    /// <summary>The spec's warnings.</summary>
    public IReadOnlyList<SpecError> Warnings { get; init; } = [];

    /// <summary>Why no design was made although the spec is good: an option (<c>-p 0</c>, <c>--gpus x</c>, an unknown executor).</summary>
    public IReadOnlyList<RunProblem> Problems { get; init; } = [];

    /// <summary>Where experiment_summary.md and design.log go (<c>-o</c>, else the spec's folder); empty without a design.</summary>
    public string OutputDirectory { get; init; } = "";

    /// <summary>True when a design was made.</summary>
    public bool IsSuccess => Design is not null && SpecErrors.Count == 0 && Problems.Count == 0;
}
