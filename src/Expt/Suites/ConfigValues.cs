using System.Diagnostics.CodeAnalysis;
using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Suites;

/// <summary>
/// CLR values of a config's properties to and from the JSON values of the planner (long for int, double for float,
/// bool, string, enum names, arrays, objects), the one conversion used both ways so a value round-trips.
/// </summary>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
internal static class ConfigValues
{
    /// <summary>The type without <c>Nullable&lt;&gt;</c>.</summary>
    public static Type Core(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    /// <summary>The spec type of a property type.</summary>
    /// <exception cref="NotSupportedException">The type is none of the param types.</exception>
    public static ParamType TypeOf(Type type)
    {
        var t = Core(type);
        if (t == typeof(string)) return new(ParamKind.String);
        if (t == typeof(bool)) return new(ParamKind.Bool);
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(uint)) return new(ParamKind.Int);
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return new(ParamKind.Float);
        if (t.IsEnum) return new(ParamKind.Enum);
        if (MapValueType(t) is { } value) return new(ParamKind.Map, Element(value));
        if (ListElementType(t) is { } element) return new(ParamKind.List, Element(element));
        throw new NotSupportedException($"{t.Name} is not a param type; use string, int, long, double, bool, an enum, a list (T[], List<T>, IReadOnlyList<T>) or a map (Dictionary<string,T>, IReadOnlyDictionary<string,T>)");
    }

    /// <summary>A list's or map's element type: an enum inside a container is passed as its name (a string).</summary>
    private static ParamType Element(Type t) => Core(t).IsEnum ? new(ParamKind.String) : TypeOf(t);

    /// <summary>The value as the planner holds it.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int or long or short or byte or uint => JsonValue.Create(System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(System.Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        Enum e => JsonValue.Create(e.ToString()),
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create((string)k, ToJson(map[k])))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        _ => throw new NotSupportedException($"{value.GetType().Name} is not a param type"),
    };

    /// <summary>A value of <paramref name="type"/> from its JSON form; null with a problem saying what was expected.</summary>
    public static object? FromJson(JsonNode? node, Type type, out string? problem)
    {
        problem = null;
        var t = Core(type);
        if (node is null)
        {
            if (!type.IsValueType || t != type) return null;
            problem = $"expected {Describe(type)}, not null";
            return null;
        }
        try
        {
            return Convert(node, t, ref problem);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or JsonException)
        {
            problem = $"expected {Describe(type)}, got {ParamValues.ToCompactJson(node)}";
            return null;
        }
    }

    private static object? Convert(JsonNode node, Type t, ref string? problem)
    {
        if (t == typeof(string)) return node.GetValue<string>();
        if (t == typeof(bool)) return node.GetValue<bool>();
        if (t == typeof(int)) return checked((int)node.GetValue<long>());
        if (t == typeof(long)) return node.GetValue<long>();
        if (t == typeof(short)) return checked((short)node.GetValue<long>());
        if (t == typeof(byte)) return checked((byte)node.GetValue<long>());
        if (t == typeof(uint)) return checked((uint)node.GetValue<long>());
        if (t == typeof(double)) return node.GetValue<double>();
        if (t == typeof(float)) return (float)node.GetValue<double>();
        if (t == typeof(decimal)) return (decimal)node.GetValue<double>();
        if (t.IsEnum)
        {
            var name = node.GetValue<string>();
            if (Enum.GetNames(t).Contains(name, StringComparer.Ordinal)) return Enum.Parse(t, name);
            problem = $"expected one of {string.Join(", ", Enum.GetNames(t))}, got '{name}'";
            return null;
        }
        if (MapValueType(t) is { } valueType) return ToMap(node.AsObject(), valueType, ref problem);
        if (ListElementType(t) is { } element) return ToList(node.AsArray(), t, element, ref problem);
        throw new InvalidOperationException($"{t.Name} is not a param type");
    }

    private static object? ToMap(JsonObject obj, Type valueType, ref string? problem)
    {
        var map = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
        foreach (var (key, item) in obj)
        {
            var value = FromJson(item, valueType, out var inner);
            if (inner is not null)
            {
                problem = $"at key '{key}': {inner}";
                return null;
            }
            map[key] = value;
        }
        return map;
    }

    private static object? ToList(JsonArray array, Type listType, Type element, ref string? problem)
    {
        var items = Array.CreateInstance(element, array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var value = FromJson(array[i], element, out var inner);
            if (inner is not null)
            {
                problem = $"at item {i}: {inner}";
                return null;
            }
            items.SetValue(value, i);
        }
        if (listType.IsArray) return items;
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        foreach (var item in items) list.Add(item);
        return list;
    }

    /// <summary>What a value of <paramref name="type"/> looks like, for messages.</summary>
    public static string Describe(Type type)
    {
        var t = Core(type);
        var kind = TypeOf(t);
        return kind.Kind switch
        {
            ParamKind.Int => "an integer",
            ParamKind.Float => "a number",
            ParamKind.Bool => "true or false",
            ParamKind.Enum => $"one of {string.Join(", ", Enum.GetNames(t))}",
            ParamKind.List => $"a JSON list ({kind})",
            ParamKind.Map => $"a JSON object ({kind})",
            _ => "a string",
        } + (t != type ? " or __none__" : "");
    }

    private static Type? MapValueType(Type t)
    {
        if (!t.IsGenericType) return null;
        var def = t.GetGenericTypeDefinition();
        var args = t.GetGenericArguments();
        var isMap = def == typeof(Dictionary<,>) || def == typeof(IDictionary<,>) || def == typeof(IReadOnlyDictionary<,>);
        return isMap && args[0] == typeof(string) ? args[1] : null;
    }

    private static Type? ListElementType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (!t.IsGenericType) return null;
        var def = t.GetGenericTypeDefinition();
        return def == typeof(List<>) || def == typeof(IList<>) || def == typeof(IReadOnlyList<>) || def == typeof(IEnumerable<>) || def == typeof(ICollection<>) || def == typeof(IReadOnlyCollection<>)
            ? t.GetGenericArguments()[0] : null;
    }
}
