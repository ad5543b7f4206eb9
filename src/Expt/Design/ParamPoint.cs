using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Design;

/// <summary>
/// A job's params as the estimator compares them: each value as compact JSON (so <c>"3"</c> and <c>3</c> stay
/// different), numbers by their value (the catalog keeps a number as a double, so an int <c>1</c> read back from history
/// must equal the planned <c>1</c>), the numeric ones also as numbers, and one key for the whole set.
/// </summary>
internal sealed class ParamPoint
{
    // Compact JSON escapes control characters, so these never occur inside a value.
    private const char NameEnd = '\u001e';
    private const char ValueEnd = '\u001f';

    private ParamPoint(SortedDictionary<string, string> values, Dictionary<string, double> numbers)
    {
        Values = values;
        Numbers = numbers;
        Key = KeyOf(values, static _ => true);
    }

    /// <summary>Each param's value as compact JSON, by name in ordinal order.</summary>
    public SortedDictionary<string, string> Values { get; }

    /// <summary>The params whose value is a finite JSON number, as numbers.</summary>
    public Dictionary<string, double> Numbers { get; }

    /// <summary>The whole set as one string: equal keys mean identical params.</summary>
    public string Key { get; }

    /// <summary>The params of a job without the ignored ones; a name given twice keeps its last value, as a job's config does.</summary>
    public static ParamPoint Of(IEnumerable<KeyValuePair<string, JsonNode?>> config, IReadOnlySet<string> ignored)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, node) in config)
        {
            if (ignored.Contains(name)) continue;
            var text = ParamValues.ToCompactJson(node);
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                values[name] = d.ToString("R", CultureInfo.InvariantCulture);
                numbers[name] = d;
            }
            else
            {
                values[name] = text;
                numbers.Remove(name);
            }
        }
        return new ParamPoint(values, numbers);
    }

    /// <summary>
    /// The key of the params <paramref name="include"/> keeps; <paramref name="absent"/> names params that must count as
    /// present-without-a-value (so that a job lacking one matches no job that has it).
    /// </summary>
    public string KeyOf(Func<string, bool> include, IEnumerable<string>? absent = null)
    {
        if (absent is null) return KeyOf(Values, include);
        var with = new SortedDictionary<string, string>(Values, StringComparer.Ordinal);
        foreach (var name in absent) with.TryAdd(name, "\u0000absent");
        return KeyOf(with, include);
    }

    private static string KeyOf(SortedDictionary<string, string> values, Func<string, bool> include)
    {
        var key = new StringBuilder();
        foreach (var (name, value) in values)
        {
            if (include(name)) key.Append(name).Append(NameEnd).Append(value).Append(ValueEnd);
        }
        return key.ToString();
    }
}
