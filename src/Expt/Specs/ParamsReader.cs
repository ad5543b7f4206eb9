using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads the <c>params</c> section: each param's type (declared or inferred from a shorthand value), bounds, enum
/// values and default; <c>seed</c> is added when the spec does not declare it.
/// </summary>
internal sealed class ParamsReader(SpecFields fields, ValueCoercer coercer)
{
    private static readonly string[] ParamKeys = ["type", "default", "min", "max", "values", "nullable", "must_exist", "help", "description"];

    private SpecDiagnostics Diagnostics => fields.Diagnostics;

    /// <summary>The declared params, in spec order, with <c>seed</c> last when the spec does not declare it.</summary>
    public List<ParamDefinition> Read(YamlNode? node, string specDir)
    {
        var result = new List<ParamDefinition>();
        if (node is not null && !YamlScalars.IsNull(node))
        {
            if (node is not YamlMappingNode map)
            {
                Diagnostics.Error(node, "params", $"expected a mapping of param name to its declaration; got {YamlScalars.Describe(node)}");
            }
            else
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var (k, v) in map.Children)
                {
                    var name = SpecFields.KeyText(k);
                    var field = $"params.{name}";
                    if (!SpecNames.ParamNamePattern().IsMatch(name))
                    {
                        Diagnostics.Error(k, field, $"'{name}' is not a valid param name; expected letters, digits, '_' or '-', starting with a letter or '_'");
                        continue;
                    }
                    if (SpecNames.ReservedParams.Contains(name))
                    {
                        Diagnostics.Error(k, field, $"'{name}' is reserved by Expt ({string.Join(", ", SpecNames.ReservedParams)}); choose another name");
                        continue;
                    }
                    if (!seen.Add(name))
                    {
                        Diagnostics.Error(k, field, $"duplicate param '{name}'");
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
                "random seed (added by Expt)", new SourceLocation(Diagnostics.File)));
        }
        return result;
    }

    private ParamDefinition? ReadParam(string name, YamlNode keyNode, YamlNode node, string field, string specDir)
    {
        if (node is not YamlMappingNode map)
        {
            return InferParam(name, keyNode, node, field);
        }
        var keys = fields.ReadKeys(map, field, ParamKeys);
        ParamType? type = null;
        if (keys.TryGetValue("type", out var typeNode))
        {
            var typeText = fields.ScalarString(typeNode, $"{field}.type");
            if (typeText is not null)
            {
                type = ParamType.TryParse(typeText);
                if (type is null)
                {
                    Diagnostics.Error(typeNode, $"{field}.type", $"unknown type '{typeText}'{DidYouMean.Suggest(typeText, ["string", "int", "float", "bool", "enum", "path", "list<string>", "map<string,string>"])}; expected one of {string.Join(", ", ParamType.Names)}");
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
            Diagnostics.Error(keyNode, field, "missing 'type'; expected one of " + string.Join(", ", ParamType.Names));
            return null;
        }

        var nullable = keys.TryGetValue("nullable", out var nullableNode) && fields.ReadBool(nullableNode, $"{field}.nullable") == true;
        var mustExist = keys.TryGetValue("must_exist", out var mustNode) && fields.ReadBool(mustNode, $"{field}.must_exist") == true;
        if (mustExist && type.Kind != ParamKind.Path)
        {
            Diagnostics.Error(mustNode!, $"{field}.must_exist", $"'must_exist' applies to path params only; '{name}' is {type}");
        }

        double? min = null, max = null;
        foreach (var (bound, key) in new[] { (0, "min"), (1, "max") })
        {
            if (!keys.TryGetValue(key, out var boundNode)) continue;
            if (type.Kind is not (ParamKind.Int or ParamKind.Float) && type.Element?.Kind is not (ParamKind.Int or ParamKind.Float))
            {
                Diagnostics.Error(boundNode, $"{field}.{key}", $"'{key}' applies to int and float params only; '{name}' is {type}");
                continue;
            }
            if (boundNode is YamlScalarNode s && YamlScalars.IsPlain(s) && YamlScalars.TryFloat(s.Value ?? "", out var b) && double.IsFinite(b))
            {
                if (bound == 0) min = b; else max = b;
            }
            else Diagnostics.Error(boundNode, $"{field}.{key}", $"expected a number; got {YamlScalars.Describe(boundNode)}");
        }
        if (min is not null && max is not null && min > max)
        {
            Diagnostics.Error(keys["min"], $"{field}.min", $"min {ParamValues.FormatDouble(min.Value)} is greater than max {ParamValues.FormatDouble(max.Value)}");
        }

        var values = new List<string>();
        if (keys.TryGetValue("values", out var valuesNode))
        {
            if (type.Kind != ParamKind.Enum)
            {
                Diagnostics.Error(valuesNode, $"{field}.values", $"'values' applies to enum params only; '{name}' is {type}");
            }
            else
            {
                values = fields.ReadStringList(valuesNode, $"{field}.values");
                if (values.Count == 0) Diagnostics.Error(valuesNode, $"{field}.values", "an enum needs at least one value");
                foreach (var dup in values.GroupBy(v => v, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    Diagnostics.Error(valuesNode, $"{field}.values", $"duplicate enum value '{dup.Key}'");
                }
            }
        }
        else if (type.Kind == ParamKind.Enum)
        {
            Diagnostics.Error(keyNode, field, "an enum param needs 'values: [...]'");
        }

        var help = keys.TryGetValue("help", out var helpNode) ? fields.ScalarString(helpNode, $"{field}.help")
            : keys.TryGetValue("description", out var descNode) ? fields.ScalarString(descNode, $"{field}.description") : null;

        var declared = new ParamDefinition(name, type, null, nullable, min, max, values, mustExist, help, Diagnostics.At(keyNode));
        JsonNode? defaultValue = null;
        var hasDefault = keys.TryGetValue("default", out var defNode);
        if (hasDefault && !coercer.TryCoerce(defNode!, declared, $"{field}.default", out defaultValue))
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
            Diagnostics.Error(node, field, $"cannot infer a type from {YamlScalars.Describe(node)}; write '{{ type: ..., default: ... }}'");
            return null;
        }
        var declared = new ParamDefinition(name, type, null, false, null, null, [], false, null, Diagnostics.At(keyNode));
        return coercer.TryCoerce(node, declared, field, out var value) ? declared with { Default = value } : null;
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
}
