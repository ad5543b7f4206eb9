using Expt.Specs;

namespace Expt.Execution;

/// <summary>
/// Why a run was refused before any job started (the executor cannot run the plan, a resume does not match its run,
/// the run could not be created): what is wrong, and where when a spec field is the cause.
/// </summary>
/// <param name="Message">What is wrong and what to do about it.</param>
public sealed record RunProblem(string Message)
{
    /// <summary>The spec field at fault, e.g. <c>executor.mem</c>; empty when no one field is.</summary>
    public string Field { get; init; } = "";

    /// <summary>Where the spec sets <see cref="Field"/>, when it does.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Lines that explain the problem further (e.g. which jobs a changed spec changes), in order.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>
    /// A problem with the setting <paramref name="key"/> of the spec's <c>executor:</c> block: its field is
    /// <c>executor.KEY</c>, located where <paramref name="locations"/> (the spec's, by key) says it is set.
    /// </summary>
    public static RunProblem ExecutorSetting(string key, string message, IReadOnlyDictionary<string, SourceLocation>? locations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(message);
        return new RunProblem(message) { Field = $"executor.{key}", Location = locations?.GetValueOrDefault(key) };
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var at = Location is null ? "" : $"{Location}: ";
        return Field.Length == 0 ? $"{at}{Message}" : $"{at}{Field}: {Message}";
    }
}
