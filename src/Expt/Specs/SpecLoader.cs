using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads an <c>experiment.yaml</c> into an <see cref="ExperimentDefinition"/>. Every problem is collected
/// with its file, line, column and field path; nothing is thrown for bad input.
/// </summary>
public sealed partial class SpecLoader
{
    internal static readonly string[] TopLevelKeys =
    [
        "experiment", "question", "hypothesis", "notes", "params", "matrix", "exclude", "include", "name",
        "run", "stages", "args", "workdir", "executor",
        "needs", "kinds", "foreach", "foreach_by_kind", "shards", "merge", "resources", "timeout", "retries", "retry_on", "collect",
    ];

    internal static readonly string[] StageKeys =
        ["run", "needs", "kinds", "foreach", "foreach_by_kind", "shards", "merge", "resources", "timeout", "retries", "retry_on", "args", "collect"];

    private static readonly string[] ParamKeys = ["type", "default", "min", "max", "values", "nullable", "must_exist", "help", "description"];
    private static readonly string[] ReservedParams = ["output_dir", "kind", "name", "variant"];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    internal static partial Regex ExperimentNamePattern();

    // In a YAML flow mapping the comma of `{ type: map<string,int> }` would end the value; the spec format
    // allows it, so that one comma becomes ';' (same length, so every reported column stays right).
    [GeneratedRegex(@"(\btype\s*:\s*[""']?(?:list\s*<\s*)*map\s*<\s*string\s*),")]
    private static partial Regex MapTypeComma();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    internal static partial Regex ParamNamePattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    internal static partial Regex StageNamePattern();

    private readonly List<SpecError> _errors = [];
    private readonly List<SpecError> _warnings = [];
    private string _file = "";
    private ValueCoercer _coercer = null!;

    /// <summary>Loads and validates the spec at <paramref name="path"/>.</summary>
    public static SpecLoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var inside = Path.Combine(full, "experiment.yaml");
            if (!File.Exists(inside)) return Failure(new SpecError(new SourceLocation(path), "", $"is a directory without an experiment.yaml ({inside} not found)"));
            full = inside;
        }
        if (!File.Exists(full))
        {
            return Failure(new SpecError(new SourceLocation(path), "", "spec file not found"));
        }
        var text = SpecYaml.Read(full, path, out var readError);
        if (text is null) return Failure(readError!);
        return LoadText(text, full, DisplayPath(full));
    }

    /// <summary>Loads a spec from text; <paramref name="sourcePath"/> anchors relative paths, <paramref name="displayName"/> names it in messages.</summary>
    public static SpecLoadResult LoadText(string text, string sourcePath, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var loader = new SpecLoader();
        return loader.Parse(text, Path.GetFullPath(sourcePath), displayName ?? sourcePath);
    }

    private static SpecLoadResult Failure(SpecError error) => new(null, [error], []);

    private static string DisplayPath(string full)
    {
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return rel.StartsWith("..", StringComparison.Ordinal) ? full : rel;
    }

    private SpecLoadResult Parse(string text, string sourcePath, string display)
    {
        _file = display;
        _coercer = new ValueCoercer(_file, _errors);
        var document = SpecYaml.Parse(MapTypeComma().Replace(text, "$1;"), _file, out var yamlError);
        if (document is null) return Failure(yamlError!);
        if (document is not YamlMappingNode root)
        {
            return Failure(new SpecError(YamlScalars.At(_file, document), "", $"expected a mapping of spec keys at the top level; got {YamlScalars.Describe(document)}"));
        }

        var keys = ReadKeys(root, "", TopLevelKeys);
        var specDir = Path.GetDirectoryName(sourcePath)!;

        var name = RequiredString(keys, root, "experiment");
        if (name is not null && !ExperimentNamePattern().IsMatch(name))
        {
            Error(keys["experiment"], "experiment", $"'{name}' is not a valid experiment name; expected lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }

        var parameters = ReadParams(keys.GetValueOrDefault("params"), specDir);
        var paramByName = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var matrix = ReadMatrix(keys.GetValueOrDefault("matrix"), paramByName);
        var excludes = ReadSelectors(keys.GetValueOrDefault("exclude"), paramByName);
        var includes = ReadIncludes(keys.GetValueOrDefault("include"), paramByName);
        var args = ReadArgs(keys.GetValueOrDefault("args"), "args") ?? ArgsMode.Flags;
        var workdir = ReadWorkdir(keys.GetValueOrDefault("workdir"), specDir);
        var stages = ReadStagesOrRun(keys, root, paramByName);
        var executor = ReadExecutor(keys.GetValueOrDefault("executor"), out var executorLocations);
        // Only from a working directory that exists: a bad workdir is reported by itself.
        if (workdir is not null || !keys.ContainsKey("workdir")) CheckPrograms(stages, keys, workdir ?? specDir);

        string? nameTemplate = null;
        SourceLocation? nameLocation = null;
        if (keys.TryGetValue("name", out var nameNode))
        {
            nameTemplate = ScalarString(nameNode, "name");
            nameLocation = YamlScalars.At(_file, nameNode);
            if (nameTemplate is not null) CheckTemplate(nameNode, "name", nameTemplate, paramByName.Keys.Append("kind"));
        }

        if (_errors.Count > 0 || name is null)
        {
            return new SpecLoadResult(null, Sorted(_errors), _warnings);
        }

        var definition = new ExperimentDefinition
        {
            Name = name,
            Question = OptionalString(keys, "question"),
            Hypothesis = OptionalString(keys, "hypothesis"),
            Notes = OptionalString(keys, "notes"),
            Params = parameters,
            Matrix = matrix,
            Excludes = excludes,
            Includes = includes,
            NameTemplate = nameTemplate,
            NameTemplateLocation = nameLocation,
            Stages = stages,
            Args = args,
            WorkingDirectory = workdir ?? specDir,
            SourcePath = sourcePath,
            Executor = executor,
            ExecutorLocations = executorLocations,
        };
        return new SpecLoadResult(definition, [], _warnings);
    }

    private static List<SpecError> Sorted(List<SpecError> errors) =>
        errors.OrderBy(e => e.Location.Line).ThenBy(e => e.Location.Column).ToList();

    private void Error(YamlNode node, string field, string message) => _errors.Add(new SpecError(YamlScalars.At(_file, node), field, message));

    private void Warn(YamlNode node, string field, string message) => _warnings.Add(new SpecError(YamlScalars.At(_file, node), field, message));

    /// <summary>Reads a mapping's keys, reporting unknown and duplicate keys (with a suggestion).</summary>
    private Dictionary<string, YamlNode> ReadKeys(YamlMappingNode map, string prefix, IReadOnlyCollection<string> allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var field = prefix.Length == 0 ? KeyText(k) : $"{prefix}.{KeyText(k)}";
            if (k is not YamlScalarNode { Value: { } key })
            {
                Error(k, field, "keys must be plain strings");
                continue;
            }
            if (!allowed.Contains(key))
            {
                Error(k, field, $"unknown key '{key}'{DidYouMean.Suggest(key, allowed)}; expected one of: {string.Join(", ", allowed)}");
                continue;
            }
            if (!result.TryAdd(key, v)) Error(k, field, $"duplicate key '{key}'");
        }
        return result;
    }

    private static string KeyText(YamlNode k) => k is YamlScalarNode s ? s.Value ?? "" : "?";

    private string? RequiredString(Dictionary<string, YamlNode> keys, YamlNode parent, string key)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            Error(parent, key, $"missing required key '{key}'");
            return null;
        }
        return ScalarString(node, key);
    }

    private string? OptionalString(Dictionary<string, YamlNode> keys, string key) =>
        keys.TryGetValue(key, out var node) && !YamlScalars.IsNull(node) ? ScalarString(node, key) : null;

    private string? ScalarString(YamlNode node, string field)
    {
        if (node is YamlScalarNode s && !YamlScalars.IsNull(s)) return s.Value;
        Error(node, field, $"expected a string; got {YamlScalars.Describe(node)}");
        return null;
    }

    private int? ReadInt(YamlNode node, string field, int min)
    {
        if (node is YamlScalarNode s && YamlScalars.IsPlain(s) && YamlScalars.TryInt(s.Value ?? "", out var v) && v >= min && v <= int.MaxValue)
        {
            return (int)v;
        }
        Error(node, field, $"expected an integer >= {min}; got {YamlScalars.Describe(node)}");
        return null;
    }

    private bool? ReadBool(YamlNode node, string field)
    {
        if (node is YamlScalarNode s && YamlScalars.TryBool(s, out var b)) return b;
        Error(node, field, $"expected true or false; got {YamlScalars.Describe(node)}");
        return null;
    }

    private List<string> ReadStringList(YamlNode node, string field)
    {
        var list = new List<string>();
        if (node is YamlScalarNode single && !YamlScalars.IsNull(single))
        {
            list.Add(single.Value!);
            return list;
        }
        if (node is not YamlSequenceNode seq)
        {
            if (!YamlScalars.IsNull(node)) Error(node, field, $"expected a list of strings; got {YamlScalars.Describe(node)}");
            return list;
        }
        var i = 0;
        foreach (var item in seq.Children)
        {
            var s = ScalarString(item, $"{field}[{i++}]");
            if (s is not null) list.Add(s);
        }
        return list;
    }

    private ArgsMode? ReadArgs(YamlNode? node, string field)
    {
        if (node is null) return null;
        var s = ScalarString(node, field);
        switch (s)
        {
            case null: return null;
            case "flags": return ArgsMode.Flags;
            case "none": return ArgsMode.None;
            default:
                Error(node, field, $"'{s}' is not an args mode; expected 'flags' or 'none'{DidYouMean.Suggest(s, ["flags", "none"])}");
                return null;
        }
    }

    private string? ReadWorkdir(YamlNode? node, string specDir)
    {
        if (node is null) return null;
        var s = ScalarString(node, "workdir");
        if (s is null) return null;
        var full = Path.GetFullPath(Path.Combine(specDir, s));
        if (!Directory.Exists(full))
        {
            Error(node, "workdir", $"directory '{s}' does not exist (resolved to {full})");
            return null;
        }
        return full;
    }

    private void CheckTemplate(YamlNode node, string field, string text, IEnumerable<string> known)
    {
        var template = Template.TryParse(text, out var problem);
        if (template is null)
        {
            Error(node, field, problem!);
            return;
        }
        var knownList = known.ToList();
        foreach (var f in template.Fields.Distinct())
        {
            if (!knownList.Contains(f))
            {
                Error(node, field, $"unknown placeholder '{{{f}}}'{DidYouMean.Suggest(f, knownList)}; known: {string.Join(", ", knownList.Select(k => "{" + k + "}"))}");
            }
        }
    }
}
