using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads the sections that choose the variants: <c>matrix</c> (factors and their levels), <c>exclude</c> (selectors
/// of combinations to leave out) and <c>include</c> (extra variants); every value is coerced to its param's type.
/// </summary>
internal sealed class VariantSetReader(SpecFields fields, ValueCoercer coercer)
{
    private SpecDiagnostics Diagnostics => fields.Diagnostics;

    /// <summary>The <c>matrix</c> factors: each a declared param and its distinct levels.</summary>
    public List<MatrixFactor> ReadMatrix(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<MatrixFactor>();
        if (node is null || YamlScalars.IsNull(node)) return result;
        if (node is not YamlMappingNode map)
        {
            Diagnostics.Error(node, "matrix", $"expected a mapping of param name to a list of levels; got {YamlScalars.Describe(node)}");
            return result;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var name = SpecFields.KeyText(k);
            var field = $"matrix.{name}";
            if (!parameters.TryGetValue(name, out var param))
            {
                Diagnostics.Error(k, field, $"'{name}' is not a declared param{DidYouMean.Suggest(name, parameters.Keys)}; declare it under 'params'");
                continue;
            }
            if (!seen.Add(name))
            {
                Diagnostics.Error(k, field, $"duplicate matrix factor '{name}'");
                continue;
            }
            if (v is not YamlSequenceNode seq)
            {
                Diagnostics.Error(v, field, $"expected a list of levels, e.g. [a, b]; got {YamlScalars.Describe(v)}");
                continue;
            }
            if (seq.Children.Count == 0)
            {
                Diagnostics.Error(v, field, "a factor needs at least one level");
                continue;
            }
            var levels = new List<JsonNode?>();
            var i = 0;
            foreach (var item in seq.Children)
            {
                var itemField = $"{field}[{i++}]";
                if (!coercer.TryCoerce(item, param, itemField, out var value)) continue;
                if (levels.Any(l => ParamValues.AreEqual(l, value)))
                {
                    Diagnostics.Error(item, itemField, $"duplicate level {ParamValues.ToDisplay(value)}");
                    continue;
                }
                levels.Add(value);
            }
            result.Add(new MatrixFactor(name, levels, Diagnostics.At(k)));
        }
        return result;
    }

    /// <summary>The <c>exclude</c> selectors: a mapping, or a list of mappings, of param values.</summary>
    public List<VariantSelector> ReadSelectors(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<VariantSelector>();
        foreach (var (entry, index) in Entries(node, "exclude"))
        {
            var field = $"exclude[{index}]";
            if (entry is not YamlMappingNode map || map.Children.Count == 0)
            {
                Diagnostics.Error(entry, field, $"expected a mapping of param values, e.g. {{ model: llama-3b, lora_rank: 4 }}; got {YamlScalars.Describe(entry)}");
                continue;
            }
            var values = ReadValueMap(map, field, parameters, []);
            if (values is not null) result.Add(new VariantSelector(values, Diagnostics.At(entry)));
        }
        return result;
    }

    /// <summary>The <c>include</c> entries: extra variants with an optional kind and name.</summary>
    public List<IncludeDefinition> ReadIncludes(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<IncludeDefinition>();
        foreach (var (entry, index) in Entries(node, "include"))
        {
            var field = $"include[{index}]";
            if (entry is not YamlMappingNode map)
            {
                Diagnostics.Error(entry, field, $"expected a mapping (kind, name and param values); got {YamlScalars.Describe(entry)}");
                continue;
            }
            var values = ReadValueMap(map, field, parameters, ["kind", "name"]);
            string kind = "default";
            string? name = null;
            foreach (var (k, v) in map.Children)
            {
                switch (SpecFields.KeyText(k))
                {
                    case "kind":
                        var kindText = fields.ScalarString(v, $"{field}.kind");
                        if (kindText is not null && !SpecNames.StageNamePattern().IsMatch(kindText))
                        {
                            Diagnostics.Error(v, $"{field}.kind", $"'{kindText}' is not a valid kind; expected lowercase letters, digits, '_' or '-'");
                        }
                        kind = kindText ?? kind;
                        break;
                    case "name":
                        name = fields.ScalarString(v, $"{field}.name");
                        break;
                }
            }
            if (values is not null) result.Add(new IncludeDefinition(kind, name, values, Diagnostics.At(entry)));
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
            Diagnostics.Error(node, field, $"expected a list of mappings; got {YamlScalars.Describe(node)}");
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
            var key = SpecFields.KeyText(k);
            if (extraKeys.Contains(key)) continue;
            if (!parameters.TryGetValue(key, out var param))
            {
                Diagnostics.Error(k, $"{field}.{key}", $"'{key}' is not a declared param{DidYouMean.Suggest(key, parameters.Keys.Concat(extraKeys))}");
                ok = false;
                continue;
            }
            if (values.ContainsKey(key))
            {
                Diagnostics.Error(k, $"{field}.{key}", $"duplicate key '{key}'");
                ok = false;
                continue;
            }
            if (coercer.TryCoerce(v, param, $"{field}.{key}", out var value)) values[key] = value;
            else ok = false;
        }
        return ok ? values : null;
    }
}
