using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Expt.Catalog;

/// <summary>
/// A job's values as one compact binary blob (<c>jobs.vals</c>), stored beside the job so a listing loads them with
/// the row instead of looking each one up. Names are not stored: each value carries the id of its (source, name) in
/// <c>value_names</c>, which a listing loads once. Per value:
/// <code>
/// tag      1 byte   bits 0–1: ValueKind; bit 2: a number follows; bit 3: a text follows
/// name id  varint   value_names.id (which says param or metric, and the name)
/// number   8 bytes  IEEE 754 double, little-endian (NaN and infinities kept as they are)
/// text     varint byte count, then UTF-8
/// </code>
/// </summary>
internal static class CatalogValues
{
    private const byte KindMask = 0b11;
    private const byte HasNumber = 0b100;
    private const byte HasText = 0b1000;

    /// <summary>Encodes values; <paramref name="nameId"/> gives the id of a (source, name).</summary>
    public static byte[] Encode(IReadOnlyList<CatalogValue> values, Func<ValueSource, string, long> nameId)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(nameId);
        var buffer = new ArrayBufferWriter<byte>(16 + (values.Count * 16));
        // One value per (source, name), the last given (as job_values keeps it): a reader need not check.
        var last = new Dictionary<(ValueSource, string), int>(values.Count);
        for (var k = 0; k < values.Count; k++) last[(values[k].Source, values[k].Name)] = k;
        for (var k = 0; k < values.Count; k++)
        {
            var v = values[k];
            if (last[(v.Source, v.Name)] != k) continue;
            var tag = (byte)((int)v.Kind & KindMask);
            if (v.Number is not null) tag |= HasNumber;
            if (v.Text is not null) tag |= HasText;
            var span = buffer.GetSpan(1 + 10 + 8 + 5);
            span[0] = tag;
            var n = 1 + WriteVarint(span[1..], (ulong)nameId(v.Source, v.Name));
            if (v.Number is { } number)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(span[n..], number);
                n += 8;
            }
            if (v.Text is { } text)
            {
                var count = Encoding.UTF8.GetByteCount(text);
                n += WriteVarint(span[n..], (ulong)count);
                buffer.Advance(n);
                Encoding.UTF8.GetBytes(text, buffer.GetSpan(count));
                buffer.Advance(count);
            }
            else
            {
                buffer.Advance(n);
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes a blob into one array, params first, then metrics; returns the number of params. <paramref name="names"/>
    /// holds every (source, name) by id (null where an id is unused); <paramref name="scratch"/> is reused across rows;
    /// <paramref name="shared"/>, when given, hands back one instance for equal param values across jobs.
    /// </summary>
    // Runs once per row of a listing, in a process that lives for one command: compiled optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CatalogValue[] Decode(
        ReadOnlySpan<byte> blob,
        (ValueSource Source, string Name)?[] names,
        List<CatalogValue> scratch,
        out int paramCount,
        Dictionary<(long, byte, long, string?), CatalogValue>? shared = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(scratch);
        scratch.Clear();
        paramCount = 0;
        var i = 0;
        while (i < blob.Length)
        {
            var tag = blob[i++];
            var id = ReadVarint(blob, ref i);
            double? number = null;
            if ((tag & HasNumber) != 0)
            {
                number = BinaryPrimitives.ReadDoubleLittleEndian(blob.Slice(i, 8));
                i += 8;
            }
            if (id >= (ulong)names.Length || names[id] is not { } name) throw new InvalidDataException($"catalog value of unknown name id {id}");
            var kind = (ValueKind)(tag & KindMask);
            string? text = null;
            if ((tag & HasText) != 0)
            {
                var count = checked((int)ReadVarint(blob, ref i));
                text = Encoding.UTF8.GetString(blob.Slice(i, count));
                i += count;
            }
            CatalogValue value;
            if (shared is not null && name.Source == ValueSource.Param)
            {
                // Params repeat across the jobs of a grid: one instance per distinct value, kept alive once.
                var key = ((long)id, tag, number is { } d ? BitConverter.DoubleToInt64Bits(d) : 0, text);
                if (!shared.TryGetValue(key, out value!))
                {
                    value = new CatalogValue(name.Source, name.Name, kind, number, text);
                    shared[key] = value;
                }
            }
            else
            {
                value = new CatalogValue(name.Source, name.Name, kind, number, text);
            }
            scratch.Add(value);
            if (name.Source == ValueSource.Param) paramCount++;
        }
        var values = new CatalogValue[scratch.Count];
        int p = 0, m = paramCount;
        foreach (var v in scratch) values[v.Source == ValueSource.Param ? p++ : m++] = v;
        return values;
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong ReadVarint(ReadOnlySpan<byte> span, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 63) throw new InvalidDataException("catalog value blob: varint too long");
            var b = span[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
