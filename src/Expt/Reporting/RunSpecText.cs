using Expt.Internal;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Expt.Reporting;

/// <summary>
/// What reports need from a run's <c>spec.yaml</c>: the question, hypothesis, notes and the params' order.
/// </summary>
/// <remarks>
/// Read leniently rather than with <see cref="Specs.SpecLoader"/>: the loader validates the spec against the
/// machine (workdir and <c>must_exist</c> paths must exist), which fails for a run copied to an archive or
/// another host, while a report only needs these few texts.
/// </remarks>
/// <param name="Question">The research question.</param>
/// <param name="Hypothesis">The hypothesis.</param>
/// <param name="Notes">Free notes.</param>
/// <param name="ParamOrder">Param names in declaration order.</param>
public sealed record RunSpecText(string? Question, string? Hypothesis, string? Notes, IReadOnlyList<string> ParamOrder)
{
    /// <summary>The spec file's name in a run directory.</summary>
    public const string FileName = "spec.yaml";

    /// <summary>The id column of the jobs' per-item tables the spec names (<c>per_item: {id: NAME}</c>); null when it names none.</summary>
    public string? PerItemId { get; init; }

    /// <summary>Nothing known.</summary>
    public static readonly RunSpecText Empty = new(null, null, null, []);

    /// <summary>Reads <c>spec.yaml</c> of a run directory; <see cref="Empty"/> when missing or unreadable.</summary>
    public static RunSpecText Read(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var path = Path.Combine(runDirectory, FileName);
        try
        {
            if (!File.Exists(path) || RegularFile.Problem(path) is not null) return Empty;
            var stream = new YamlStream();
            using (var reader = new StreamReader(path)) stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return Empty;
            string? Text(string key) =>
                root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } v } ? v.TrimEnd('\n') : null;
            var order = root.Children.TryGetValue(new YamlScalarNode("params"), out var p) && p is YamlMappingNode ps
                ? ps.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!).Where(k => k is not null).ToList()
                : [];
            var perItemId = root.Children.TryGetValue(new YamlScalarNode("per_item"), out var pi) && pi is YamlMappingNode pim
                && pim.Children.TryGetValue(new YamlScalarNode("id"), out var id) && id is YamlScalarNode { Value: { Length: > 0 } idName } ? idName : null;
            return new RunSpecText(Text("question"), Text("hypothesis"), Text("notes"), order) { PerItemId = perItemId };
        }
        catch (YamlException)
        {
            return Empty;
        }
        catch (IOException)
        {
            return Empty;
        }
        catch (UnauthorizedAccessException)
        {
            return Empty;
        }
    }
}
