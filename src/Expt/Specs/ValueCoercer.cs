using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Turns a YAML node into a typed param value, reporting every mismatch with its location.
/// The same rules apply to the spec, to <c>--set</c> and to <c>--filter</c>, so a value means one thing everywhere.
/// </summary>
internal sealed class ValueCoercer(string file, ICollection<SpecError> errors)
{
    /// <summary>Coerces <paramref name="node"/> to <paramref name="param"/>'s type; false (with an error added) when it cannot.</summary>
    public bool TryCoerce(YamlNode node, ParamDefinition param, string field, out JsonNode? value) =>
        TryCoerce(node, param.Type, param.Nullable, param, field, out value);

    private bool TryCoerce(YamlNode node, ParamType type, bool nullable, ParamDefinition param, string field, out JsonNode? value)
    {
        value = null;
        var at = YamlScalars.At(file, node);
        if (YamlScalars.IsNull(node))
        {
            if (nullable) return true;
            errors.Add(new SpecError(at, field, $"null is not allowed for {type} param '{param.Name}'; expected {WithArticle(type.ToString())} (declare 'nullable: true' to allow null)"));
            return false;
        }

        switch (type.Kind)
        {
            case ParamKind.List:
                if (node is not YamlSequenceNode seq)
                {
                    return Fail(at, field, $"expected a list of {type.Element}, e.g. [a, b]; got {YamlScalars.Describe(node)}");
                }
                var array = new JsonArray();
                var ok = true;
                var i = 0;
                foreach (var item in seq.Children)
                {
                    if (TryCoerce(item, type.Element!, false, param, $"{field}[{i}]", out var element)) array.Add(element);
                    else ok = false;
                    i++;
                }
                value = array;
                return ok;

            case ParamKind.Map:
                if (node is not YamlMappingNode map)
                {
                    return Fail(at, field, $"expected a mapping of string to {type.Element}, e.g. {{key: value}}; got {YamlScalars.Describe(node)}");
                }
                var obj = new JsonObject();
                var allOk = true;
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode key || key.Value is null)
                    {
                        errors.Add(new SpecError(YamlScalars.At(file, k), field, "map keys must be strings"));
                        allOk = false;
                        continue;
                    }
                    if (TryCoerce(v, type.Element!, false, param, $"{field}.{key.Value}", out var element)) obj[key.Value] = element;
                    else allOk = false;
                }
                value = obj;
                return allOk;
        }

        if (node is not YamlScalarNode scalar)
        {
            return Fail(at, field, $"expected {WithArticle(Expected(type, param))}; got {YamlScalars.Describe(node)}");
        }
        var text = scalar.Value ?? "";
        switch (type.Kind)
        {
            case ParamKind.String or ParamKind.Path:
                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    return Fail(at, field, "a NUL character cannot be passed to a process");
                }
                value = JsonValue.Create(text);
                return true;

            case ParamKind.Enum:
                if (!param.Values.Contains(text, StringComparer.Ordinal))
                {
                    return Fail(at, field, $"'{text}' is not one of [{string.Join(", ", param.Values)}]{DidYouMean.Suggest(text, param.Values)}");
                }
                value = JsonValue.Create(text);
                return true;

            case ParamKind.Bool:
                if (!YamlScalars.TryBool(scalar, out var b))
                {
                    return Fail(at, field, $"expected a bool (true or false); got {YamlScalars.Describe(node)}");
                }
                value = JsonValue.Create(b);
                return true;

            case ParamKind.Int:
                if (!YamlScalars.IsPlain(scalar) || !YamlScalars.TryInt(text, out var l))
                {
                    return Fail(at, field, $"expected an int; got {YamlScalars.Describe(node)}");
                }
                if (!InRange(at, field, l, param)) return false;
                value = JsonValue.Create(l);
                return true;

            case ParamKind.Float:
                if (!YamlScalars.IsPlain(scalar) || !YamlScalars.TryFloat(text, out var d))
                {
                    return Fail(at, field, $"expected a float; got {YamlScalars.Describe(node)}");
                }
                if (!double.IsFinite(d))
                {
                    return Fail(at, field, $"'{text}' is not a finite number; config.json and flags carry finite floats only");
                }
                if (!InRange(at, field, d, param)) return false;
                value = JsonValue.Create(d);
                return true;
        }
        return Fail(at, field, $"unsupported type {type}");
    }

    /// <summary>"an int", "a float", "one of [a, b]".</summary>
    private static string WithArticle(string expected) =>
        expected.StartsWith("one of", StringComparison.Ordinal) ? expected : ("aeiou".Contains(expected[0], StringComparison.Ordinal) ? "an " : "a ") + expected;

    private static string Expected(ParamType type, ParamDefinition param) =>
        type.Kind == ParamKind.Enum ? $"one of [{string.Join(", ", param.Values)}]" : type.ToString();

    private bool InRange(SourceLocation at, string field, double v, ParamDefinition param)
    {
        if (param.Min is { } min && v < min)
        {
            return Fail(at, field, $"{ParamValues.FormatDouble(v)} is below the minimum {ParamValues.FormatDouble(min)} of '{param.Name}'");
        }
        if (param.Max is { } max && v > max)
        {
            return Fail(at, field, $"{ParamValues.FormatDouble(v)} is above the maximum {ParamValues.FormatDouble(max)} of '{param.Name}'");
        }
        return true;
    }

    private bool Fail(SourceLocation at, string field, string message)
    {
        errors.Add(new SpecError(at, field, message));
        return false;
    }
}
