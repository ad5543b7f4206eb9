using System.Text.RegularExpressions;
using Expt.Execution.Backends;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads an <c>experiment.yaml</c> into an <see cref="ExperimentDefinition"/>. Every problem is collected
/// with its file, line, column and field path; nothing is thrown for bad input.
/// </summary>
/// <remarks>
/// One reader per section (<see cref="ParamsReader"/>, <see cref="VariantSetReader"/>, <see cref="SeedsReader"/>,
/// <see cref="StagesReader"/>, <see cref="MetadataReader"/>, <see cref="MetricsReader"/>, the executor block) adds its problems to one <see cref="SpecDiagnostics"/>; this
/// class only decides the order the sections are read in, since later sections are checked against earlier ones.
/// </remarks>
public sealed partial class SpecLoader
{
    internal static readonly string[] TopLevelKeys =
    [
        "experiment", "question", "hypothesis", "notes", "params", "matrix", "exclude", "include", "seeds", "name",
        "run", "stages", "args", "workdir", "executor",
        "needs", "kinds", "foreach", "foreach_by_kind", "shards", "merge", "resources", "timeout", "retries", "retry_on", "collect",
        "metrics", "per_item",
    ];

    // In a YAML flow mapping the comma of `{ type: map<string,int> }` would end the value; the spec format
    // allows it, so that one comma becomes ';' (same length, so every reported column stays right).
    [GeneratedRegex(@"(\btype\s*:\s*[""']?(?:list\s*<\s*)*map\s*<\s*string\s*),")]
    private static partial Regex MapTypeComma();

    private readonly string _file;
    private readonly SpecDiagnostics _diagnostics;
    private readonly SpecFields _fields;
    private readonly ExecutorRegistry _executors;
    private readonly bool _checkPrograms;

    private SpecLoader(string file, ExecutorRegistry? executors, bool checkPrograms)
    {
        _file = file;
        _checkPrograms = checkPrograms;
        // Without a registry a spec may name only the local executor, as in a process that registered no other.
        _executors = executors ?? new ExecutorRegistry();
        _diagnostics = new SpecDiagnostics(file);
        _fields = new SpecFields(_diagnostics);
    }

    /// <summary>
    /// Loads and validates the spec at <paramref name="path"/>; its <c>executor:</c> block may name the backends of
    /// <paramref name="executors"/> (only local when null) and their settings. With <paramref name="checkPrograms"/> false
    /// a missing program or script of a stage's <c>run</c> is no error (<c>expt design</c> reports it as a resource instead).
    /// </summary>
    public static SpecLoadResult Load(string path, ExecutorRegistry? executors = null, bool checkPrograms = true)
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
        return LoadText(text, full, DisplayPath(full), executors, checkPrograms);
    }

    /// <summary>
    /// Loads a spec from text; <paramref name="sourcePath"/> anchors relative paths, <paramref name="displayName"/> names
    /// it in messages, <paramref name="executors"/> are the backends it may name (only local when null); with
    /// <paramref name="checkPrograms"/> false a missing program or script of a stage's <c>run</c> is no error.
    /// </summary>
    public static SpecLoadResult LoadText(string text, string sourcePath, string? displayName = null, ExecutorRegistry? executors = null, bool checkPrograms = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourcePath);
        var loader = new SpecLoader(displayName ?? sourcePath, executors, checkPrograms);
        return loader.Parse(text, Path.GetFullPath(sourcePath));
    }

    private static SpecLoadResult Failure(SpecError error) => new(null, [error], []);

    private static string DisplayPath(string full)
    {
        var rel = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return rel.StartsWith("..", StringComparison.Ordinal) ? full : rel;
    }

    private SpecLoadResult Parse(string text, string sourcePath)
    {
        var document = SpecYaml.Parse(MapTypeComma().Replace(text, "$1;"), _file, out var yamlError);
        if (document is null) return Failure(yamlError!);
        if (document is not YamlMappingNode root)
        {
            return Failure(new SpecError(_diagnostics.At(document), "", $"expected a mapping of spec keys at the top level; got {YamlScalars.Describe(document)}"));
        }

        var keys = ReadKeys(root, "", TopLevelKeys);
        var specDir = Path.GetDirectoryName(sourcePath)!;
        var coercer = new ValueCoercer(_file, _diagnostics.Errors);
        var metadata = new MetadataReader(_fields);
        var variantSet = new VariantSetReader(_fields, coercer);

        // The order matters only for problems on one spot: the errors are sorted by location at the end.
        var name = metadata.ReadExperimentName(keys, root);
        var parameters = new ParamsReader(_fields, coercer).Read(keys.GetValueOrDefault("params"), specDir);
        var paramByName = parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var matrix = variantSet.ReadMatrix(keys.GetValueOrDefault("matrix"), paramByName);
        var excludes = variantSet.ReadSelectors(keys.GetValueOrDefault("exclude"), paramByName);
        var includes = variantSet.ReadIncludes(keys.GetValueOrDefault("include"), paramByName);
        var seedsReader = new SeedsReader(_fields, coercer);
        var seeds = seedsReader.Read(keys.GetValueOrDefault("seeds"), paramByName);
        if (seeds.Count > 0) seedsReader.CheckAgainst(keys["seeds"], matrix, includes);
        var resultsReader = new MetricsReader(_fields);
        var metrics = resultsReader.ReadMetrics(keys.GetValueOrDefault("metrics"));
        var perItemId = resultsReader.ReadPerItem(keys.GetValueOrDefault("per_item"));
        var args = _fields.ReadArgs(keys.GetValueOrDefault("args"), "args") ?? ArgsMode.Flags;
        var workdir = metadata.ReadWorkdir(keys.GetValueOrDefault("workdir"), specDir);
        var stages = new StagesReader(_fields).Read(keys, root, paramByName);
        var executor = ReadExecutor(keys.GetValueOrDefault("executor"), out var executorLocations);
        // Only from a working directory that exists: a bad workdir is reported by itself.
        if (_checkPrograms && (workdir is not null || !keys.ContainsKey("workdir")))
        {
            StageProgramsCheck.Check(_diagnostics, stages, keys.GetValueOrDefault("run"), workdir ?? specDir);
        }
        var (nameTemplate, nameLocation) = metadata.ReadNameTemplate(keys.GetValueOrDefault("name"), paramByName.Keys);

        if (_diagnostics.HasErrors || name is null)
        {
            return new SpecLoadResult(null, _diagnostics.SortedErrors(), _diagnostics.Warnings);
        }

        var definition = new ExperimentDefinition
        {
            Name = name,
            Question = _fields.OptionalString(keys, "question"),
            Hypothesis = _fields.OptionalString(keys, "hypothesis"),
            Notes = _fields.OptionalString(keys, "notes"),
            Params = parameters,
            Matrix = matrix,
            Excludes = excludes,
            Includes = includes,
            Seeds = seeds,
            Metrics = metrics,
            PerItemId = perItemId,
            NameTemplate = nameTemplate,
            NameTemplateLocation = nameLocation,
            Stages = stages,
            Args = args,
            WorkingDirectory = workdir ?? specDir,
            SourcePath = sourcePath,
            Executor = executor,
            ExecutorLocations = executorLocations,
        };
        return new SpecLoadResult(definition, [], _diagnostics.Warnings);
    }

    // The executor block (SpecLoader.Executor.cs) reads through these.
    private void Error(YamlNode node, string field, string message) => _diagnostics.Error(node, field, message);

    private Dictionary<string, YamlNode> ReadKeys(YamlMappingNode map, string prefix, IReadOnlyCollection<string> allowed) =>
        _fields.ReadKeys(map, prefix, allowed);

    private static string KeyText(YamlNode k) => SpecFields.KeyText(k);
}
