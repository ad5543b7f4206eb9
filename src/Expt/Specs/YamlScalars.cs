using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>YAML 1.2 core-schema resolution of plain scalars, used where the expected type is known.</summary>
internal static class YamlScalars
{
    public static bool IsPlain(YamlScalarNode node) => node.Style is ScalarStyle.Plain or ScalarStyle.Any;

    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode s && IsPlain(s) && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static bool TryBool(YamlScalarNode node, out bool value)
    {
        value = false;
        if (!IsPlain(node)) return false;
        switch (node.Value)
        {
            case "true" or "True" or "TRUE": value = true; return true;
            case "false" or "False" or "FALSE": return true;
            default: return false;
        }
    }

    public static bool TryInt(string text, out long value)
    {
        var t = text.Replace("_", "", StringComparison.Ordinal);
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return long.TryParse(t.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        }
        return long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryFloat(string text, out double value)
    {
        switch (text)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf":
                value = double.PositiveInfinity; return true;
            case "-.inf" or "-.Inf" or "-.INF":
                value = double.NegativeInfinity; return true;
            case ".nan" or ".NaN" or ".NAN":
                value = double.NaN; return true;
        }
        var t = text.Replace("_", "", StringComparison.Ordinal);
        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Where a node starts, as a location in <paramref name="file"/>.</summary>
    public static SourceLocation At(string file, YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

    /// <summary>A short description of what a node is, for "got …" in messages.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode s when IsNull(s) => "null",
        YamlScalarNode s when !IsPlain(s) => $"the string \"{s.Value}\"",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "an unsupported node",
    };
}
