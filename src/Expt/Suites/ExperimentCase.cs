namespace Expt.Suites;

/// <summary>One variant of a C# suite: its name (a directory name) and its config.</summary>
/// <param name="VariantName">The variant's name; unique in the suite, safe as a directory name.</param>
/// <param name="Config">The variant's config.</param>
public sealed record ExperimentCase(string VariantName, ExperimentConfig Config)
{
    /// <summary>The variant's kind: <c>default</c>, or e.g. <c>control</c> (reports compare variants against the control).</summary>
    public string Kind { get; init; } = "default";

    /// <summary>A variant of kind <c>control</c>.</summary>
    public static ExperimentCase Control(string variantName, ExperimentConfig config) => new(variantName, config) { Kind = "control" };
}
