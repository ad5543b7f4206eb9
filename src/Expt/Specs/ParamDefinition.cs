using System.Text.Json.Nodes;

namespace Expt.Specs;

/// <summary>One typed param of an experiment.</summary>
/// <param name="Name">The param's name; also its flag (<c>--name</c>) and its key in config.json.</param>
/// <param name="Type">Its type.</param>
/// <param name="Default">The default value (JSON form); null is allowed only when <paramref name="Nullable"/>.</param>
/// <param name="Nullable">Whether null is a legal value.</param>
/// <param name="Min">Inclusive lower bound for numbers.</param>
/// <param name="Max">Inclusive upper bound for numbers.</param>
/// <param name="Values">The allowed values of an enum.</param>
/// <param name="MustExist">For paths: the path must exist (relative to the spec's directory) before anything runs.</param>
/// <param name="Help">Optional description.</param>
/// <param name="Location">Where the param is declared.</param>
public sealed record ParamDefinition(
    string Name,
    ParamType Type,
    JsonNode? Default,
    bool Nullable,
    double? Min,
    double? Max,
    IReadOnlyList<string> Values,
    bool MustExist,
    string? Help,
    SourceLocation Location)
{
    /// <summary>True when the param has no default: every variant must set it (matrix, include or --set).</summary>
    public bool IsRequired { get; init; }

    /// <summary>True when <c>--set</c> gave the param its value: the plan shows it as changed even where it equals the spec's default.</summary>
    public bool IsSetOnCommandLine { get; init; }
}
