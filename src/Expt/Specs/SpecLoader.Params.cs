using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

public sealed partial class SpecLoader
{
    private List<ParamDefinition> ReadParams(YamlNode? node, string specDir)
    {
        var result = new List<ParamDefinition>();
        if (node is not null && !YamlScalars.IsNull(node))
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "params", $"expected a mapping of param name to its declaration; got {YamlScalars.Describe(node)}");
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var name = KeyText(k);
                    var field = $"params.{name}";
                    if (!ParamNamePattern().IsMatch(name))
                    {
                        Error(k, field, $"'{name}' is not a valid param name; expected letters, digits, '_' or '-', starting with a letter or '_'");
                        continue;
                    }
                    if (ReservedParams.Contains(name))
                    {
                        Error(k, field, $"'{name}' is reserved by Expt ({string.Join(", ", ReservedParams)}); choose another name");
                        continue;
                    }
                    if (!seen.Add(name))
                    {
                        Error(k, field, $"duplicate param '{name}'");
                        continue;
                    }
                    var param = ReadParam(name, k, v, field, specDir);
                    if (param is not null) result.Add(param);
                }
            }
        }
        if (!result.Any(p => p.Name == "seed"))
        {
            result.Add(new ParamDefinition("seed", new ParamType(ParamKind.Int), JsonValue.Create(42L), false, null, null, [], false,
                "random seed (added by Expt)", new SourceLocation(_file)));
        }
        return result;
    }

    private ParamDefinition? ReadParam(string name, YamlNode keyNode, YamlNode node, string field, string specDir)
    {
        if (node is not YamlMappingNode map)
        {
            return InferParam(name, keyNode, node, field);
        }
        var keys = ReadKeys(map, field, ParamKeys);
        ParamType? type = null;
        if (keys.TryGetValue("type", out var typeNode))
        {
            var typeText = ScalarString(typeNode, $"{field}.type");
            if (typeText is not null)
            {
                type = ParamType.TryParse(typeText);
                if (type is null)
                {
                    Error(typeNode, $"{field}.type", $"unknown type '{typeText}'{DidYouMean.Suggest(typeText, ["string", "int", "float", "bool", "enum", "path", "list<string>", "map<string,string>"])}; expected one of {string.Join(", ", ParamType.Names)}");
                    return null;
                }
            }
            else return null;
        }
        else if (keys.TryGetValue("values", out _))
        {
            type = new ParamType(ParamKind.Enum);
        }
        else if (keys.TryGetValue("default", out var defaultNode) && Infer(defaultNode) is { } inferred)
        {
            type = inferred;
        }
        else
        {
            Error(keyNode, field, "missing 'type'; expected one of " + string.Join(", ", ParamType.Names));
            return null;
        }

        var nullable = keys.TryGetValue("nullable", out var nullableNode) && ReadBool(nullableNode, $"{field}.nullable") == true;
        var mustExist = keys.TryGetValue("must_exist", out var mustNode) && ReadBool(mustNode, $"{field}.must_exist") == true;
        if (mustExist && type.Kind != ParamKind.Path)
        {
            Error(mustNode!, $"{field}.must_exist", $"'must_exist' applies to path params only; '{name}' is {type}");
        }

        double? min = null, max = null;
        foreach (var (bound, key) in new[] { (0, "min"), (1, "max") })
        {
            if (!keys.TryGetValue(key, out var boundNode)) continue;
            if (type.Kind is not (ParamKind.Int or ParamKind.Float) && type.Element?.Kind is not (ParamKind.Int or ParamKind.Float))
            {
                Error(boundNode, $"{field}.{key}", $"'{key}' applies to int and float params only; '{name}' is {type}");
                continue;
            }
            if (boundNode is YamlScalarNode s && YamlScalars.IsPlain(s) && YamlScalars.TryFloat(s.Value ?? "", out var b) && double.IsFinite(b))
            {
                if (bound == 0) min = b; else max = b;
            }
            else Error(boundNode, $"{field}.{key}", $"expected a number; got {YamlScalars.Describe(boundNode)}");
        }
        if (min is not null && max is not null && min > max)
        {
            Error(keys["min"], $"{field}.min", $"min {ParamValues.FormatDouble(min.Value)} is greater than max {ParamValues.FormatDouble(max.Value)}");
        }

        var values = new List<string>();
        if (keys.TryGetValue("values", out var valuesNode))
        {
            if (type.Kind != ParamKind.Enum)
            {
                Error(valuesNode, $"{field}.values", $"'values' applies to enum params only; '{name}' is {type}");
            }
            else
            {
                values = ReadStringList(valuesNode, $"{field}.values");
                if (values.Count == 0) Error(valuesNode, $"{field}.values", "an enum needs at least one value");
                foreach (var dup in values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    Error(valuesNode, $"{field}.values", $"duplicate enum value '{dup.Key}'");
                }
            }
        }
        else if (type.Kind == ParamKind.Enum)
        {
            Error(keyNode, field, "an enum param needs 'values: [...]'");
        }

        var help = keys.TryGetValue("help", out var helpNode) ? ScalarString(helpNode, $"{field}.help")
            : keys.TryGetValue("description", out var descNode) ? ScalarString(descNode, $"{field}.description") : null;

        var declared = new ParamDefinition(name, type, null, nullable, min, max, values, mustExist, help, YamlScalars.At(_file, keyNode));
        JsonNode? defaultValue = null;
        var hasDefault = keys.TryGetValue("default", out var defNode);
        if (hasDefault && !_coercer.TryCoerce(defNode!, declared, $"{field}.default", out defaultValue))
        {
            return null;
        }
        if (!hasDefault)
        {
            // No default: the param is required; the planner checks every variant sets it.
            return declared with { Default = null, IsRequired = true };
        }
        return declared with { Default = defaultValue, Help = help };
    }

    private ParamDefinition? InferParam(string name, YamlNode keyNode, YamlNode node, string field)
    {
        var type = Infer(node);
        if (type is null)
        {
            Error(node, field, $"cannot infer a type from {YamlScalars.Describe(node)}; write '{{ type: ..., default: ... }}'");
            return null;
        }
        var declared = new ParamDefinition(name, type, null, false, null, null, [], false, null, YamlScalars.At(_file, keyNode));
        return _coercer.TryCoerce(node, declared, field, out var value) ? declared with { Default = value } : null;
    }

    /// <summary>The type a shorthand value implies: plain scalars by their YAML type, lists by their first item.</summary>
    private static ParamType? Infer(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode s when YamlScalars.IsNull(s):
                return null;
            case YamlScalarNode s when YamlScalars.TryBool(s, out _):
                return new(ParamKind.Bool);
            case YamlScalarNode s when YamlScalars.IsPlain(s) && YamlScalars.TryInt(s.Value!, out _):
                return new(ParamKind.Int);
            case YamlScalarNode s when YamlScalars.IsPlain(s) && YamlScalars.TryFloat(s.Value!, out _):
                return new(ParamKind.Float);
            case YamlScalarNode:
                return new(ParamKind.String);
            case YamlSequenceNode seq:
                var element = seq.Children.Count == 0 ? new ParamType(ParamKind.String) : Infer(seq.Children[0]);
                return element is null || element.IsContainer ? null : new(ParamKind.List, element);
            default:
                return null;
        }
    }

    private List<MatrixFactor> ReadMatrix(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<MatrixFactor>();
        if (node is null || YamlScalars.IsNull(node)) return result;
        if (node is not YamlMappingNode map)
        {
            Error(node, "matrix", $"expected a mapping of param name to a list of levels; got {YamlScalars.Describe(node)}");
            return result;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = KeyText(k);
            var field = $"matrix.{name}";
            if (!parameters.TryGetValue(name, out var param))
            {
                Error(k, field, $"'{name}' is not a declared param{DidYouMean.Suggest(name, parameters.Keys)}; declare it under 'params'");
                continue;
            }
            if (!seen.Add(name))
            {
                Error(k, field, $"duplicate matrix factor '{name}'");
                continue;
            }
            if (v is not YamlSequenceNode seq)
            {
                Error(v, field, $"expected a list of levels, e.g. [a, b]; got {YamlScalars.Describe(v)}");
                continue;
            }
            if (seq.Children.Count == 0)
            {
                Error(v, field, "a factor needs at least one level");
                continue;
            }
            var levels = new List<JsonNode?>();
            var i = 0;
            foreach (var item in seq.Children)
            {
                var itemField = $"{field}[{i++}]";
                if (!_coercer.TryCoerce(item, param, itemField, out var value)) continue;
                if (levels.Any(l => ParamValues.AreEqual(l, value)))
                {
                    Error(item, itemField, $"duplicate level {ParamValues.ToDisplay(value)}");
                    continue;
                }
                levels.Add(value);
            }
            result.Add(new MatrixFactor(name, levels, YamlScalars.At(_file, k)));
        }
        return result;
    }

    private List<VariantSelector> ReadSelectors(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<VariantSelector>();
        foreach (var (entry, index) in Entries(node, "exclude"))
        {
            var field = $"exclude[{index}]";
            if (entry is not YamlMappingNode map || map.Children.Count == 0)
            {
                Error(entry, field, $"expected a mapping of param values, e.g. {{ model: llama-3b, lora_rank: 4 }}; got {YamlScalars.Describe(entry)}");
                continue;
            }
            var values = ReadValueMap(map, field, parameters, []);
            if (values is not null) result.Add(new VariantSelector(values, YamlScalars.At(_file, entry)));
        }
        return result;
    }

    private List<IncludeDefinition> ReadIncludes(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<IncludeDefinition>();
        foreach (var (entry, index) in Entries(node, "include"))
        {
            var field = $"include[{index}]";
            if (entry is not YamlMappingNode map)
            {
                Error(entry, field, $"expected a mapping (kind, name and param values); got {YamlScalars.Describe(entry)}");
                continue;
            }
            var values = ReadValueMap(map, field, parameters, ["kind", "name"]);
            string kind = "default";
            string? name = null;
            foreach (var (k, v) in map.Children)
            {
                switch (KeyText(k))
                {
                    case "kind":
                        var kindText = ScalarString(v, $"{field}.kind");
                        if (kindText is not null && !StageNamePattern().IsMatch(kindText))
                        {
                            Error(v, $"{field}.kind", $"'{kindText}' is not a valid kind; expected lowercase letters, digits, '_' or '-'");
                        }
                        kind = kindText ?? kind;
                        break;
                    case "name":
                        name = ScalarString(v, $"{field}.name");
                        break;
                }
            }
            if (values is not null) result.Add(new IncludeDefinition(kind, name, values, YamlScalars.At(_file, entry)));
        }
        return result;
    }

    private IEnumerable<(YamlNode Entry, int Index)> Entries(YamlNode? node, string field)
    {
        if (node is null || YamlScalars.IsNull(node)) yield break;
        if (node is YamlMappingNode single)
        {
            yield return (single, 0);
            yield break;
        }
        if (node is not YamlSequenceNode seq)
        {
            Error(node, field, $"expected a list of mappings; got {YamlScalars.Describe(node)}");
            yield break;
        }
        for (var i = 0; i < seq.Children.Count; i++) yield return (seq.Children[i], i);
    }

    private Dictionary<string, JsonNode?>? ReadValueMap(YamlMappingNode map, string field, Dictionary<string, ParamDefinition> parameters, string[] extraKeys)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (k, v) in map.Children)
        {
            var key = KeyText(k);
            if (extraKeys.Contains(key)) continue;
            if (!parameters.TryGetValue(key, out var param))
            {
                Error(k, $"{field}.{key}", $"'{key}' is not a declared param{DidYouMean.Suggest(key, parameters.Keys.Concat(extraKeys))}");
                ok = false;
                continue;
            }
            if (values.ContainsKey(key))
            {
                Error(k, $"{field}.{key}", $"duplicate key '{key}'");
                ok = false;
                continue;
            }
            if (_coercer.TryCoerce(v, param, $"{field}.{key}", out var value)) values[key] = value;
            else ok = false;
        }
        return ok ? values : null;
    }

    internal static string Invariant(double d) => d.ToString(CultureInfo.InvariantCulture);
}
