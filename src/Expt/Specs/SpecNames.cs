using System.Text.RegularExpressions;

namespace Expt.Specs;

/// <summary>The names a spec may give to an experiment, a param, a stage or a kind, and the names Expt keeps for itself.</summary>
internal static partial class SpecNames
{
    /// <summary>Names Expt sets itself in every job's config and flags, so no param or cell axis may take them.</summary>
    public static readonly string[] ReservedParams = ["output_dir", "kind", "name", "variant"];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    public static partial Regex ExperimentNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    public static partial Regex ParamNamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    public static partial Regex StageNamePattern();
}
