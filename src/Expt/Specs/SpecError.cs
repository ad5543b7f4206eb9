namespace Expt.Specs;

/// <summary>One problem found in a spec or in command-line input before anything runs.</summary>
/// <param name="Location">Where the problem is.</param>
/// <param name="Field">The field path, e.g. <c>params.lr.default</c> or <c>matrix.lora_rank[1]</c>.</param>
/// <param name="Message">What is wrong and what was expected.</param>
public sealed record SpecError(SourceLocation Location, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.IsNullOrEmpty(Field) ? $"{Location}: {Message}" : $"{Location}: {Field}: {Message}";
}

/// <summary>Thrown by the library when input is invalid; carries every problem found.</summary>
public sealed class SpecException : Exception
{
    /// <summary>Creates the exception from the collected errors.</summary>
    public SpecException(IReadOnlyList<SpecError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    /// <summary>Creates the exception with a single message.</summary>
    public SpecException(string message) : base(message) => Errors = [new SpecError(new SourceLocation("input"), "", message)];

    /// <summary>Creates the exception with a single message and a cause.</summary>
    public SpecException(string message, Exception inner) : base(message, inner) =>
        Errors = [new SpecError(new SourceLocation("input"), "", message)];

    /// <summary>Creates an empty exception (framework convention).</summary>
    public SpecException() : this("invalid input") { }

    /// <summary>Every problem found, in file order.</summary>
    public IReadOnlyList<SpecError> Errors { get; }
}
