using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads the plain fields every spec section is made of (keys, strings, integers, booleans, lists, durations,
/// templates); a field of the wrong shape is reported to <see cref="Diagnostics"/> and read as absent.
/// </summary>
internal sealed class SpecFields(SpecDiagnostics diagnostics)
{
    /// <summary>Where every problem goes.</summary>
    public SpecDiagnostics Diagnostics { get; } = diagnostics;

    /// <summary>Reads a mapping's keys, reporting unknown and duplicate keys (with a suggestion).</summary>
    public Dictionary<string, YamlNode> ReadKeys(YamlMappingNode map, string prefix, IReadOnlyCollection<string> allowed)
    {
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var field = prefix.Length == 0 ? KeyText(k) : $"{prefix}.{KeyText(k)}";
            if (k is not YamlScalarNode { Value: { } key })
            {
                Diagnostics.Error(k, field, "keys must be plain strings");
                continue;
            }
            if (!allowed.Contains(key))
            {
                Diagnostics.Error(k, field, $"unknown key '{key}'{DidYouMean.Suggest(key, allowed)}; expected one of: {string.Join(", ", allowed)}");
                continue;
            }
            if (!result.TryAdd(key, v)) Diagnostics.Error(k, field, $"duplicate key '{key}'");
        }
        return result;
    }

    /// <summary>A key's text as it appears in field paths; <c>?</c> for a key that is not a scalar.</summary>
    public static string KeyText(YamlNode k) => k is YamlScalarNode s ? s.Value ?? "" : "?";

    /// <summary>The string at <paramref name="key"/>, reported as missing at <paramref name="parent"/> when absent.</summary>
    public string? RequiredString(Dictionary<string, YamlNode> keys, YamlNode parent, string key)
    {
        if (!keys.TryGetValue(key, out var node))
        {
            Diagnostics.Error(parent, key, $"missing required key '{key}'");
            return null;
        }
        return ScalarString(node, key);
    }

    /// <summary>The string at <paramref name="key"/>, or null when it is absent or null.</summary>
    public string? OptionalString(Dictionary<string, YamlNode> keys, string key) =>
        keys.TryGetValue(key, out var node) && !YamlScalars.IsNull(node) ? ScalarString(node, key) : null;

    /// <summary>A non-null scalar's text.</summary>
    public string? ScalarString(YamlNode node, string field)
    {
        if (node is YamlScalarNode s && !YamlScalars.IsNull(s)) return s.Value;
        Diagnostics.Error(node, field, $"expected a string; got {YamlScalars.Describe(node)}");
        return null;
    }

    /// <summary>A plain integer no smaller than <paramref name="min"/>.</summary>
    public int? ReadInt(YamlNode node, string field, int min)
    {
        if (node is YamlScalarNode s && YamlScalars.IsPlain(s) && YamlScalars.TryInt(s.Value ?? "", out var v) && v >= min && v <= int.MaxValue)
        {
            return (int)v;
        }
        Diagnostics.Error(node, field, $"expected an integer >= {min}; got {YamlScalars.Describe(node)}");
        return null;
    }

    /// <summary>A YAML boolean.</summary>
    public bool? ReadBool(YamlNode node, string field)
    {
        if (node is YamlScalarNode s && YamlScalars.TryBool(s, out var b)) return b;
        Diagnostics.Error(node, field, $"expected true or false; got {YamlScalars.Describe(node)}");
        return null;
    }

    /// <summary>A list of strings; a single string is a list of one, null an empty list.</summary>
    public List<string> ReadStringList(YamlNode node, string field)
    {
        var list = new List<string>();
        if (node is YamlScalarNode single && !YamlScalars.IsNull(single))
        {
            list.Add(single.Value!);
            return list;
        }
        if (node is not YamlSequenceNode seq)
        {
            if (!YamlScalars.IsNull(node)) Diagnostics.Error(node, field, $"expected a list of strings; got {YamlScalars.Describe(node)}");
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

    /// <summary>How params are passed to a command: <c>flags</c> or <c>none</c>.</summary>
    public ArgsMode? ReadArgs(YamlNode? node, string field)
    {
        if (node is null) return null;
        var s = ScalarString(node, field);
        switch (s)
        {
            case null: return null;
            case "flags": return ArgsMode.Flags;
            case "none": return ArgsMode.None;
            default:
                Diagnostics.Error(node, field, $"'{s}' is not an args mode; expected 'flags' or 'none'{DidYouMean.Suggest(s, ["flags", "none"])}");
                return null;
        }
    }

    /// <summary>A positive duration (<c>90s</c>, <c>1h30m</c>, <c>01:30:00</c>).</summary>
    public TimeSpan? ReadDuration(YamlNode node, string field)
    {
        var d = node is YamlScalarNode s ? Durations.TryParse(s.Value) : null;
        if (d is null || d <= TimeSpan.Zero)
        {
            Diagnostics.Error(node, field, $"expected a positive duration such as 90s, 30m, 2h, 1h30m or 01:30:00; got {YamlScalars.Describe(node)}");
            return null;
        }
        return d;
    }

    /// <summary>Checks that <paramref name="text"/> is a template whose placeholders are all <paramref name="known"/>.</summary>
    public void CheckTemplate(YamlNode node, string field, string text, IEnumerable<string> known)
    {
        var template = Template.TryParse(text, out var problem);
        if (template is null)
        {
            Diagnostics.Error(node, field, problem!);
            return;
        }
        var knownList = known.ToList();
        foreach (var f in template.Fields.Distinct())
        {
            if (!knownList.Contains(f))
            {
                Diagnostics.Error(node, field, $"unknown placeholder '{{{f}}}'{DidYouMean.Suggest(f, knownList)}; known: {string.Join(", ", knownList.Select(k => "{" + k + "}"))}");
            }
        }
    }
}
