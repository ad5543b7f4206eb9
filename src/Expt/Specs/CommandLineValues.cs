using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>A <c>--filter</c> condition: the variants whose <see cref="Key"/> equals <see cref="Value"/>.</summary>
/// <param name="Key">A param name, or <c>kind</c> / <c>variant</c>.</param>
/// <param name="Value">The typed value.</param>
/// <param name="Text">The condition as typed.</param>
public sealed record VariantFilter(string Key, JsonNode? Value, string Text);

/// <summary>
/// Applies <c>--set k=v</c> and parses <c>--filter k=v</c> with the same typing rules as the spec.
/// Strings, paths and enums take the text literally; other types read it as YAML (so JSON works too:
/// <c>--set tags='["a,b", "c"]'</c>).
/// </summary>
public static class CommandLineValues
{
    /// <summary>Applies overrides: a matrix factor's levels become the one value; other params get a new default.
    /// Explicit include values are overridden too (the command line beats the spec).</summary>
    public static ExperimentDefinition ApplySets(ExperimentDefinition definition, IReadOnlyList<string> sets, ICollection<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(errors);
        var result = definition;
        foreach (var set in sets)
        {
            if (!TrySplit(set, "--set", errors, out var key, out var text)) continue;
            var param = definition.FindParam(key);
            if (param is null)
            {
                errors.Add(new SpecError(new SourceLocation("--set"), key, $"'{key}' is not a param of '{definition.Name}'{DidYouMean.Suggest(key, definition.Params.Select(p => p.Name))}"));
                continue;
            }
            if (!TryParse(param, text, $"--set {set}", errors, out var value)) continue;
            result = result with
            {
                Params = result.Params.Select(p => p.Name == key ? p with { Default = value, IsRequired = false, IsSetOnCommandLine = true } : p).ToList(),
                // Like a matrix factor's levels, the seeds become the one value.
                Seeds = key == "seed" && result.Seeds.Count > 0 && value is JsonValue v && v.TryGetValue<long>(out var seed) ? [seed] : result.Seeds,
                Matrix = result.Matrix.Select(f => f.Param == key ? f with { Levels = [ParamValues.Clone(value)] } : f).ToList(),
                Includes = result.Includes.Select(i => i.Values.ContainsKey(key)
                    ? i with { Values = new Dictionary<string, JsonNode?>(i.Values) { [key] = ParamValues.Clone(value) } }
                    : i).ToList(),
            };
        }
        return result;
    }

    /// <summary>
    /// Applies <c>--seeds N</c>: every variant is crossed with the seeds 1..N instead of the spec's <c>seeds:</c>
    /// (and instead of a <c>seed</c> matrix factor: the command line beats the spec). Null leaves the spec as it is.
    /// </summary>
    /// <param name="definition">The spec as loaded.</param>
    /// <param name="count">N, the number of seeds; null when <c>--seeds</c> is not given.</param>
    /// <param name="sets">The <c>--set</c> overrides, which must not also set the seed.</param>
    /// <param name="maxVariants">The plan's variant limit: each seed is a variant at least, so more seeds are refused before any list is made.</param>
    /// <param name="errors">Where problems go.</param>
    public static ExperimentDefinition ApplySeeds(ExperimentDefinition definition, int? count, IReadOnlyList<string> sets, long maxVariants, ICollection<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(errors);
        if (count is not { } n) return definition;
        var at = new SourceLocation($"--seeds {n}");
        var seed = definition.FindParam("seed")!;
        var problem = n < 1 ? "expected 1 or more"
            : n > maxVariants ? $"the plan would have at least {n} variants, more than the limit of {maxVariants} (--max-variants)"
            : seed.Type.Kind != ParamKind.Int ? $"gives 'seed' integer values, but params.seed is declared as {seed.Type} ({seed.Location})"
            : seed.Min > 1 || seed.Max < n ? $"seeds 1 to {n} are not all within the bounds of params.seed ({string.Join(", ", new[] { seed.Min is { } lo ? $"min {ParamValues.FormatDouble(lo)}" : null, seed.Max is { } hi ? $"max {ParamValues.FormatDouble(hi)}" : null }.OfType<string>())}, {seed.Location})"
            : sets.Any(s => s.Split('=', 2)[0].Trim() == "seed") ? "--set seed=… gives the seed too; use one of the two"
            : null;
        if (problem is not null)
        {
            errors.Add(new SpecError(at, "", problem));
            return definition;
        }
        return definition with
        {
            Seeds = Enumerable.Range(1, n).Select(i => (long)i).ToList(),
            Matrix = definition.Matrix.Where(f => f.Param != "seed").ToList(),
        };
    }

    /// <summary>Parses <c>--filter</c> conditions.</summary>
    public static IReadOnlyList<VariantFilter> ParseFilters(ExperimentDefinition definition, IReadOnlyList<string> filters, ICollection<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(errors);
        var result = new List<VariantFilter>();
        foreach (var filter in filters)
        {
            if (!TrySplit(filter, "--filter", errors, out var key, out var text)) continue;
            if (key is "kind" or "variant")
            {
                result.Add(new VariantFilter(key, JsonValue.Create(text), filter));
                continue;
            }
            var param = definition.FindParam(key);
            if (param is null)
            {
                var candidates = definition.Params.Select(p => p.Name).Append("kind").Append("variant");
                errors.Add(new SpecError(new SourceLocation("--filter"), key, $"'{key}' is not a param of '{definition.Name}'{DidYouMean.Suggest(key, candidates)}; filter on a param, 'kind' or 'variant'"));
                continue;
            }
            if (TryParse(param with { Min = null, Max = null }, text, $"--filter {filter}", errors, out var value))
            {
                result.Add(new VariantFilter(key, value, filter));
            }
        }
        return result;
    }

    /// <summary>Parses one command-line value for a param.</summary>
    public static bool TryParse(ParamDefinition param, string text, string label, ICollection<SpecError> errors, out JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(param);
        ArgumentNullException.ThrowIfNull(text);
        YamlNode node;
        if (param.Type.Kind is ParamKind.String or ParamKind.Path or ParamKind.Enum && !(param.Nullable && text is "null" or "~"))
        {
            node = new YamlScalarNode(text) { Style = ScalarStyle.DoubleQuoted };
        }
        else
        {
            try
            {
                // Bounded like a spec: a value of nested aliases would otherwise be expanded by the coercion.
                var stream = new YamlStream();
                stream.Load(new BoundedYamlParser(new Parser(new StringReader(text))));
                node = stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
            }
            catch (Exception e) when (e is YamlException or YamlBoundException)
            {
                errors.Add(new SpecError(new SourceLocation(label), param.Name, $"cannot read '{Shorten(text)}' as {param.Type}: {e.Message}"));
                value = null;
                return false;
            }
        }
        var local = new List<SpecError>();
        var ok = new ValueCoercer(label, local).TryCoerce(node, param, param.Name, out value);
        foreach (var e in local) errors.Add(e with { Location = new SourceLocation(label) });
        return ok;
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static bool TrySplit(string text, string option, ICollection<SpecError> errors, out string key, out string value)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            errors.Add(new SpecError(new SourceLocation(option), "", $"'{text}' is not KEY=VALUE"));
            key = value = "";
            return false;
        }
        key = text[..eq].Trim();
        value = text[(eq + 1)..];
        return true;
    }
}
