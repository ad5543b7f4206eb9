using System.Text.Json;

namespace Expt.Metrics;

/// <summary>
/// Builds dotted metric names (<c>a.b</c>) from nested JSON property names and hands out one
/// string instance per distinct name, so a 100,000-line <c>metrics.jsonl</c> allocates each name once.
/// </summary>
internal sealed class MetricNames
{
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private char[] _buffer = new char[128];
    private int _length;

    public MetricNames() => _lookup = _known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Appends the property name the reader is on; returns the mark to <see cref="Pop"/> back to.</summary>
    public int Push(ref Utf8JsonReader reader)
    {
        int mark = _length;
        // Unescaped UTF-16 is never longer than the UTF-8 bytes it came from, so this bound is safe.
        int byteLength = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        int needed = _length + 1 + byteLength;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        if (_length > 0)
        {
            _buffer[_length++] = '.';
        }

        _length += reader.CopyString(_buffer.AsSpan(_length));
        return mark;
    }

    public void Pop(int mark) => _length = mark;

    /// <summary>Back to the top level, e.g. after a parse error left a nested name behind.</summary>
    public void Reset() => _length = 0;

    /// <summary>The full dotted name built so far.</summary>
    public string Current()
    {
        ReadOnlySpan<char> name = _buffer.AsSpan(0, _length);
        if (_lookup.TryGetValue(name, out string? known))
        {
            return known;
        }

        string created = name.ToString();
        _known.Add(created);
        return created;
    }
}
