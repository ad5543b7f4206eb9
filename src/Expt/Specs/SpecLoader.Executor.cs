using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

public sealed partial class SpecLoader
{
    private Dictionary<string, JsonNode?> ReadExecutor(YamlNode? node, out Dictionary<string, SourceLocation> locations)
    {
        var result = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        locations = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        if (node is null || YamlScalars.IsNull(node)) return result;
        if (node is YamlScalarNode scalar)
        {
            CheckExecutorType(scalar, "executor");
            result["type"] = JsonValue.Create(scalar.Value);
            locations["type"] = YamlScalars.At(_file, scalar);
            return result;
        }
        if (node is not YamlMappingNode map)
        {
            Error(node, "executor", $"expected a mapping (type, partition, account, …); got {YamlScalars.Describe(node)}");
            return result;
        }
        foreach (var (key, value) in ReadKeys(map, "executor", _executors.SettingKeys))
        {
            if (key == "type") CheckExecutorType(value, "executor.type");
            result[key] = ToJson(value);
            locations[key] = YamlScalars.At(_file, value);
        }
        return result;
    }

    private void CheckExecutorType(YamlNode node, string field)
    {
        // The executors this process has registered; the settings of each are checked by its executor.
        var types = _executors.Names;
        if (node is YamlScalarNode { Value: { } type } && types.Contains(type)) return;
        var given = node is YamlScalarNode { Value: { } text } ? $"'{text}'" : YamlScalars.Describe(node);
        var suggestion = node is YamlScalarNode { Value: { } t } ? DidYouMean.Suggest(t, types) : "";
        Error(node, field, $"unknown executor {given}{suggestion}; expected one of {string.Join(", ", types)}");
    }

    /// <summary>Untyped conversion for blocks whose schema another component owns (executor settings).</summary>
    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(KeyText(kv.Key), ToJson(kv.Value)))),
        YamlScalarNode s when YamlScalars.IsNull(s) => null,
        YamlScalarNode s when YamlScalars.TryBool(s, out var b) => JsonValue.Create(b),
        YamlScalarNode s when YamlScalars.IsPlain(s) && YamlScalars.TryInt(s.Value!, out var l) => JsonValue.Create(l),
        YamlScalarNode s when YamlScalars.IsPlain(s) && YamlScalars.TryFloat(s.Value!, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
