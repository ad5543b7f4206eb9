namespace Expt.Specs;

/// <summary>
/// The most a spec file may hold. Hand-written specs are a few kilobytes with a few hundred nodes nested a
/// handful of levels deep; these bounds are far above that and far below what would exhaust memory or the
/// stack, so a generated or hostile file (a "billion laughs" of nested aliases) is refused before it is built.
/// </summary>
public static class SpecLimits
{
    /// <summary>Largest spec file, in bytes (8 MiB).</summary>
    public const long MaxFileBytes = 8L * 1024 * 1024;

    /// <summary>Most YAML nodes (scalars, lists and mappings) once every alias is expanded.</summary>
    public const long MaxNodes = 1_000_000;

    /// <summary>Deepest nesting of lists and mappings, also counted through aliases.</summary>
    public const int MaxDepth = 64;
}
