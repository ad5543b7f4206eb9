using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads the top-level fields that describe the experiment rather than its variants or stages: its name, the
/// variant name template and the working directory.
/// </summary>
internal sealed class MetadataReader(SpecFields fields)
{
    /// <summary>The required <c>experiment</c> name, reported when it is not a valid directory-safe name.</summary>
    public string? ReadExperimentName(Dictionary<string, YamlNode> keys, YamlNode root)
    {
        var name = fields.RequiredString(keys, root, "experiment");
        if (name is not null && !SpecNames.ExperimentNamePattern().IsMatch(name))
        {
            fields.Diagnostics.Error(keys["experiment"], "experiment", $"'{name}' is not a valid experiment name; expected lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /// <summary><c>workdir</c>, resolved against the spec's directory; null when absent or when it does not exist.</summary>
    public string? ReadWorkdir(YamlNode? node, string specDir)
    {
        if (node is null) return null;
        var s = fields.ScalarString(node, "workdir");
        if (s is null) return null;
        var full = Path.GetFullPath(Path.Combine(specDir, s));
        if (!Directory.Exists(full))
        {
            fields.Diagnostics.Error(node, "workdir", $"directory '{s}' does not exist (resolved to {full})");
            return null;
        }
        return full;
    }

    /// <summary>The variant <c>name</c> template and where it is set; its placeholders must be params or <c>{kind}</c>.</summary>
    public (string? Template, SourceLocation? Location) ReadNameTemplate(YamlNode? node, IEnumerable<string> paramNames)
    {
        if (node is null) return (null, null);
        var template = fields.ScalarString(node, "name");
        if (template is not null) fields.CheckTemplate(node, "name", template, paramNames.Append("kind"));
        return (template, fields.Diagnostics.At(node));
    }
}
