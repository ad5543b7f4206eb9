using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// The problems found while reading one spec file, each located at its file, line and column. Every section
/// reader adds to the same collector, so the loader reports all problems at once, in file order.
/// </summary>
internal sealed class SpecDiagnostics(string file)
{
    /// <summary>The file as it is named in messages.</summary>
    public string File { get; } = file;

    /// <summary>Errors in the order they were found.</summary>
    public List<SpecError> Errors { get; } = [];

    /// <summary>Warnings: the spec loads, but something in it is probably not what was meant.</summary>
    public List<SpecError> Warnings { get; } = [];

    /// <summary>True once any error was found.</summary>
    public bool HasErrors => Errors.Count > 0;

    /// <summary>The location of <paramref name="node"/> in this file.</summary>
    public SourceLocation At(YamlNode node) => YamlScalars.At(File, node);

    /// <summary>Adds an error located at <paramref name="node"/>.</summary>
    public void Error(YamlNode node, string field, string message) => Errors.Add(new SpecError(At(node), field, message));

    /// <summary>Adds an error located at <paramref name="location"/>.</summary>
    public void Error(SourceLocation location, string field, string message) => Errors.Add(new SpecError(location, field, message));

    /// <summary>Adds a warning located at <paramref name="node"/>.</summary>
    public void Warn(YamlNode node, string field, string message) => Warnings.Add(new SpecError(At(node), field, message));

    /// <summary>The errors in file order; a stable sort, so problems on one spot keep the order they were found in.</summary>
    public List<SpecError> SortedErrors() =>
        Errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();
}
