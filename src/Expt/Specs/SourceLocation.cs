namespace Expt.Specs;

/// <summary>A place in a spec file (1-based line and column), or a command-line argument.</summary>
/// <param name="File">The spec file's path, or a label such as <c>--set</c>.</param>
/// <param name="Line">1-based line; 0 when not known.</param>
/// <param name="Column">1-based column; 0 when not known.</param>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}
