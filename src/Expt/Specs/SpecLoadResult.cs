namespace Expt.Specs;

/// <summary>The outcome of loading a spec: a definition, or every problem found.</summary>
public sealed record SpecLoadResult(ExperimentDefinition? Definition, IReadOnlyList<SpecError> Errors, IReadOnlyList<SpecError> Warnings)
{
    /// <summary>True when the spec is valid.</summary>
    public bool IsSuccess => Definition is not null && Errors.Count == 0;
}
