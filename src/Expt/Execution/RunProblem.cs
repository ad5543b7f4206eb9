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
    /// An executor's problem, one line as <see cref="IExecutor.Validate"/> gives it; an <c>executor.KEY: …</c> line is
    /// about the spec's <c>executor.KEY</c> and is located where the spec sets KEY.
    /// </summary>
    public static RunProblem FromExecutor(string line, IReadOnlyDictionary<string, SourceLocation> locations)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(locations);
        // Executors still validate into lines of text; their "executor.KEY: message" form names the field.
        const string prefix = "executor.";
        var colon = line.StartsWith(prefix, StringComparison.Ordinal) ? line.IndexOf(':', StringComparison.Ordinal) : -1;
        if (colon <= prefix.Length) return new RunProblem(line);
        var location = locations.GetValueOrDefault(line[prefix.Length..colon]);
        return colon + 1 < line.Length && line[colon + 1] == ' '
            ? new RunProblem(line[(colon + 2)..]) { Field = line[..colon], Location = location }
            : new RunProblem(line) { Location = location };
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var at = Location is null ? "" : $"{Location}: ";
        return Field.Length == 0 ? $"{at}{Message}" : $"{at}{Field}: {Message}";
    }
}
