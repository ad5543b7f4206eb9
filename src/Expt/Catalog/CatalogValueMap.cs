using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Expt.Catalog;

/// <summary>
/// A job's params or metrics by name: a slice of one array shared by both, searched in order. A listing holds
/// thousands of these, so each costs one small object rather than a hash table; a job with many values gets its
/// hash table on the first lookup.
/// </summary>
internal sealed class CatalogValueMap(CatalogValue[] values, int start, int count) : IReadOnlyDictionary<string, CatalogValue>
{
    private const int LinearLimit = 12;
    private Dictionary<string, CatalogValue>? _index;

    public int Count => count;

    public CatalogValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no value '{key}'");

    public IEnumerable<string> Keys => Slice().Select(v => v.Name);

    public IEnumerable<CatalogValue> Values => Slice();

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CatalogValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (count > LinearLimit)
        {
            _index ??= Slice().ToDictionary(v => v.Name, StringComparer.Ordinal);
            return _index.TryGetValue(key, out value);
        }
        for (var i = start; i < start + count; i++)
        {
            var v = values[i];
            if (ReferenceEquals(v.Name, key) || string.Equals(v.Name, key, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, CatalogValue>> GetEnumerator()
    {
        for (var i = start; i < start + count; i++) yield return KeyValuePair.Create(values[i].Name, values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ArraySegment<CatalogValue> Slice() => new(values, start, count);
}
