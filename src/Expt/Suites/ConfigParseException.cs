namespace Expt.Suites;

/// <summary>Thrown by <see cref="ExperimentConfig.Parse{T}"/>: every problem with the flags or config.json, one per line.</summary>
public sealed class ConfigParseException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ConfigParseException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems ?? [])) => Problems = problems ?? [];

    /// <summary>Creates the exception with one problem.</summary>
    public ConfigParseException(string message) : this([message]) { }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public ConfigParseException(string message, Exception inner) : base(message, inner) => Problems = [message];

    /// <summary>Creates an empty exception (framework convention).</summary>
    public ConfigParseException() : this("invalid config") { }

    /// <summary>Every problem found, each naming its flag (or config.json key) and what was expected.</summary>
    public IReadOnlyList<string> Problems { get; }
}
