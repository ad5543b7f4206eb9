using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Suites;

/// <summary>
/// The flags of PRODUCT.md "How a job gets its config" read back into a config record: <c>--name value</c> (or
/// <c>--name=value</c>), <c>__none__</c> for null, lists and maps as one JSON value, enums by name, invariant
/// numbers, <c>--output_dir</c>; config.json first when there is one. Every problem is collected, not just the first.
/// </summary>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
internal static class ConfigParser
{
    private const string OutputDirFlag = "output_dir";

    public static T Parse<[DynamicallyAccessedMembers(ConfigShape.Members)] T>(string[] args, string? configFromEnvironment) where T : ExperimentConfig, new()
    {
        var config = new T();
        var shape = ConfigShape.Of(typeof(T));
        var problems = new List<string>();
        var flags = ReadFlags(args, problems);
        var configPath = flags.TryGetValue("config", out var given) ? given : configFromEnvironment;
        flags.Remove("config");
        if (!string.IsNullOrEmpty(configPath)) ApplyConfigFile(config, shape, configPath, problems);
        foreach (var (name, text) in flags)
        {
            if (name == OutputDirFlag)
            {
                config.OutputDir = text == ParamValues.NoneToken ? null : text;
                continue;
            }
            var param = shape.FirstOrDefault(p => p.Name == name);
            if (param is null)
            {
                problems.Add($"--{name}: unknown flag{DidYouMean.Suggest(name, shape.Select(p => p.Name).Append(OutputDirFlag))}; {typeof(T).Name} has {string.Join(", ", shape.Select(p => "--" + p.Name))}");
                continue;
            }
            Set(config, param, FlagToJson(text, param.Type), $"--{name} {text}", problems);
        }
        if (problems.Count == 0) problems.AddRange(ConfigValidation.Problems(config).Select(p => p.Field is null ? p.Message : $"--{p.Field}: {p.Message}"));
        if (problems.Count > 0) throw new ConfigParseException(problems);
        return config;
    }

    /// <summary>A flag's text as the JSON value the runner formatted it from.</summary>
    private static JsonNode? FlagToJson(string text, ParamType type)
    {
        if (text == ParamValues.NoneToken) return null;
        return type.Kind switch
        {
            ParamKind.String or ParamKind.Path or ParamKind.Enum => JsonValue.Create(text),
            ParamKind.Int => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l) : JsonValue.Create(text),
            ParamKind.Float => ParseDouble(text) is { } d ? JsonValue.Create(d) : JsonValue.Create(text),
            ParamKind.Bool => text.ToLowerInvariant() switch { "true" => JsonValue.Create(true), "false" => JsonValue.Create(false), _ => JsonValue.Create(text) },
            _ => ParseJson(text),
        };
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? JsonValue.Create(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static double? ParseDouble(string text) => text switch
    {
        "nan" or "NaN" => double.NaN,
        "inf" or "Infinity" => double.PositiveInfinity,
        "-inf" or "-Infinity" => double.NegativeInfinity,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
    };

    private static void Set(ExperimentConfig config, ConfigParam param, JsonNode? value, string where, List<string> problems)
    {
        if (value is null && !param.Nullable)
        {
            problems.Add($"{where}: expected {ConfigValues.Describe(param.Property.PropertyType)}; the param is not nullable (declare it {param.Property.PropertyType.Name}? to allow __none__)");
            return;
        }
        var clr = ConfigValues.FromJson(value, param.Property.PropertyType, out var problem);
        if (problem is not null)
        {
            problems.Add($"{where}: {problem}");
            return;
        }
        param.Property.SetValue(config, clr);
    }

    private static void ApplyConfigFile(ExperimentConfig config, IReadOnlyList<ConfigParam> shape, string path, List<string> problems)
    {
        JsonObject? obj;
        try
        {
            obj = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            problems.Add($"config file {path}: {e.Message}");
            return;
        }
        if (obj is null)
        {
            problems.Add($"config file {path}: expected a JSON object");
            return;
        }
        foreach (var (key, value) in obj)
        {
            if (key == OutputDirFlag)
            {
                config.OutputDir = value?.GetValue<string>();
                continue;
            }
            var param = shape.FirstOrDefault(p => p.Name == key);
            if (param is null) problems.Add($"{path}: unknown key '{key}'{DidYouMean.Suggest(key, shape.Select(p => p.Name))}");
            else Set(config, param, value, $"{path}: {key}", problems);
        }
    }

    /// <summary>The flags by name (the last one wins, as the runner gives each once); a value missing or a stray word is a problem.</summary>
    private static Dictionary<string, string> ReadFlags(string[] args, List<string> problems)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                problems.Add($"'{arg}': expected a flag --name followed by its value");
                continue;
            }
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 2)
            {
                flags[arg[2..eq]] = arg[(eq + 1)..];
                continue;
            }
            if (i + 1 >= args.Length)
            {
                problems.Add($"{arg}: expected a value after it");
                continue;
            }
            flags[arg[2..]] = args[++i];
        }
        return flags;
    }
}
