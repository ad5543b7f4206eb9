using System.Text.Json.Nodes;

namespace Expt.Planning;

/// <summary>One configuration of the experiment: a matrix point or an explicit include.</summary>
/// <param name="Name">Unique, file-safe name; also its directory.</param>
/// <param name="Kind">Its role (<c>default</c>, <c>control</c>, …).</param>
/// <param name="Values">Every param's resolved value, in declaration order.</param>
/// <param name="Changed">Names of the params whose value differs from the spec's default, or that <c>--set</c> gave a value.</param>
public sealed record Variant(string Name, string Kind, IReadOnlyList<KeyValuePair<string, JsonNode?>> Values, IReadOnlyList<string> Changed)
{
    /// <summary>The value of one param.</summary>
    public JsonNode? Get(string param)
    {
        foreach (var (k, v) in Values)
        {
            if (k == param) return v;
        }
        throw new KeyNotFoundException($"variant '{Name}' has no param '{param}'");
    }

    /// <summary>Whether the variant has a param of that name.</summary>
    public bool Has(string param) => Values.Any(kv => kv.Key == param);
}
