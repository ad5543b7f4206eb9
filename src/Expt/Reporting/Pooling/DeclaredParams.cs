using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Expt.Reporting.Pooling;

/// <summary>
/// Which params a variant actually uses, from the variant-sets of the run's <c>spec.yaml</c>: a matrix variant uses
/// every factor of the matrix; a variant added by an <c>include</c> uses the params that entry declares, and not the
/// factors of the matrix it leaves at their defaults (a majority-class control has no <c>C</c> or <c>solver</c>, even
/// though its config.json holds their defaults).
/// </summary>
/// <remarks>
/// The manifest records neither where a variant came from nor which params were set, so the spec copied into the
/// run is the plan data this is decided from. An include is matched to a variant by its <c>name:</c> when a variant has
/// it, else by its kind and declared values: every such variant of a kind other than <c>default</c> (matrix variants
/// are of kind default), the last such variant in plan order otherwise (includes follow the matrix). A variant no
/// include matches (a matrix point, or an include whose declared value <c>--set</c> replaced) keeps every
/// param. A declared value is coerced by its param's type as the spec's values are (lists and maps too), so it
/// compares with the value config.json holds. Read leniently, as <see cref="RunSpecText"/>: an unreadable spec hides nothing.
/// </remarks>
internal sealed class DeclaredParams
{
    private static readonly HashSet<string> EntryKeys = new(["kind", "name"], StringComparer.Ordinal);

    private readonly IReadOnlyList<string> _factors;

    private readonly IReadOnlyList<Include> _includes;

    private DeclaredParams(IReadOnlyList<string> factors, IReadOnlyList<Include> includes) => (_factors, _includes) = (factors, includes);

    /// <summary>Nothing declared: every variant keeps every param.</summary>
    public static readonly DeclaredParams None = new([], []);

    private sealed record Include(string Kind, string? Name, IReadOnlyDictionary<string, JsonNode?> Values);

    /// <summary>
    /// The params of the variants (name, kind, params; in plan order) each variant does not use: the matrix factors
    /// its include leaves out. Variants that use every param are not in the answer.
    /// </summary>
    public Dictionary<string, HashSet<string>> Unused(IReadOnlyList<(string Name, string Kind, IReadOnlyDictionary<string, JsonNode?> Params)> variants)
    {
        var unused = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (_factors.Count == 0) return unused;
        foreach (var include in _includes)
        {
            bool Agrees((string Name, string Kind, IReadOnlyDictionary<string, JsonNode?> Params) v) => v.Kind == include.Kind
                && include.Values.All(kv => v.Params.TryGetValue(kv.Key, out var value) && ParamValues.AreEqual(value, kv.Value));
            // Matrix variants are of kind default: a variant of another kind can only come from an include, so every
            // one that agrees does (one entry may become several variants, one per seed); of kind default, the last.
            var matches = include.Name is { } name && variants.Any(v => v.Name == name) ? variants.Where(v => v.Name == name).ToList()
                : include.Kind != "default" ? variants.Where(Agrees).ToList()
                : variants.Where(v => !unused.ContainsKey(v.Name) && Agrees(v)).TakeLast(1).ToList();
            var left = _factors.Where(f => !include.Values.ContainsKey(f)).ToHashSet(StringComparer.Ordinal);
            if (left.Count == 0) continue;
            foreach (var match in matches) unused[match.Name] = left;
        }
        return unused;
    }

    /// <summary>Reads the matrix factors and includes of <c>spec.yaml</c> in a run directory.</summary>
    public static DeclaredParams Read(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunSpecText.FileName);
        try
        {
            if (!File.Exists(path) || RegularFile.Problem(path) is not null) return None;
            var stream = new YamlStream();
            using (var reader = new StreamReader(path)) stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return None;
            var factors = root.Children.TryGetValue(new YamlScalarNode("matrix"), out var m) && m is YamlMappingNode matrix
                ? matrix.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).OfType<string>().ToList()
                : [];
            var entries = root.Children.TryGetValue(new YamlScalarNode("include"), out var i)
                ? i switch { YamlSequenceNode s => s.Children.OfType<YamlMappingNode>().ToList(), YamlMappingNode one => [one], _ => [] }
                : [];
            var typed = Typed(root, path, runDirectory);
            var includes = entries.Select(e =>
            {
                string? Text(string key) => e.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode { Value: { } v } ? v : null;
                var values = e.Children.Where(kv => kv.Key is YamlScalarNode { Value: { } k } && !EntryKeys.Contains(k))
                    .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => typed(((YamlScalarNode)kv.Key).Value!, kv.Value), StringComparer.Ordinal);
                return new Include(Text("kind") ?? "default", Text("name"), values);
            }).ToList();
            return new DeclaredParams(factors, includes);
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            return None;
        }
    }

    // A declared value as config.json holds it, so that it compares with the variant's: coerced by its param's type
    // with the spec's own rules (a list<string> holds "1" for `[1]`, a map<string,float> 2.0 for `{a: 2}`); a value
    // of a param the spec does not declare, or one that does not coerce, as the untyped reading of Value.
    private static Func<string, YamlNode, JsonNode?> Typed(YamlMappingNode root, string file, string specDirectory)
    {
        var errors = new List<SpecError>();
        var coercer = new ValueCoercer(file, errors);
        var definitions = root.Children.TryGetValue(new YamlScalarNode("params"), out var p)
            ? new ParamsReader(new SpecFields(new SpecDiagnostics(file)), coercer).Read(p, specDirectory).ToDictionary(d => d.Name, StringComparer.Ordinal)
            : [];
        return (name, node) => definitions.TryGetValue(name, out var definition) && coercer.TryCoerce(node, definition, name, out var value)
            ? value
            : Value(node);
    }

    // An untyped reading: a list as an array and a map as an object of such values (the quickstart's control declares
    // `tags: [baseline, "no fit"]`), a scalar as a number or boolean when it reads as one, else text. Null for what
    // has no value (an empty scalar, an alias).
    private static JsonNode? Value(YamlNode node)
    {
        if (node is YamlSequenceNode sequence) return new JsonArray([.. sequence.Children.Select(Value)]);
        if (node is YamlMappingNode mapping)
        {
            var obj = new JsonObject();
            foreach (var (key, child) in mapping.Children)
            {
                if (key is YamlScalarNode { Value: { } name }) obj[name] = Value(child);
            }
            return obj;
        }
        if (node is not YamlScalarNode { Value: { } text } scalar) return null;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted) return JsonValue.Create(text);
        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)) return JsonValue.Create(d);
        if (text is "true" or "false") return JsonValue.Create(text == "true");
        return JsonValue.Create(text);
    }
}
