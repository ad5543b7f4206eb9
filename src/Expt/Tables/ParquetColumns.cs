using Parquet;
using Parquet.Schema;

namespace Expt.Tables;

/// <summary>Reads one Parquet column of any flat physical type into table values (see <see cref="TableColumnType"/>).</summary>
internal static class ParquetColumns
{
    /// <summary>The table type a Parquet field is read as; null for types Expt does not read.</summary>
    public static TableColumnType? TypeOf(DataField field)
    {
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint)) return TableColumnType.Int64;
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(ulong)) return TableColumnType.Double;
        if (t == typeof(bool)) return TableColumnType.Boolean;
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return TableColumnType.Timestamp;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>) || t == typeof(DateOnly) || t == typeof(TimeSpan) || t == typeof(TimeOnly) || t == typeof(Guid)) return TableColumnType.String;
        return null;
    }

    public static async Task<object?[]> ReadAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
    {
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var text = new string?[count];
            await group.ReadAsync(field, text.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
            return text;
        }
        if (t == typeof(long)) return Box(await ReadValuesAsync<long>(group, field, count, ct).ConfigureAwait(false), v => v);
        if (t == typeof(int)) return Box(await ReadValuesAsync<int>(group, field, count, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(short)) return Box(await ReadValuesAsync<short>(group, field, count, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(sbyte)) return Box(await ReadValuesAsync<sbyte>(group, field, count, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(byte)) return Box(await ReadValuesAsync<byte>(group, field, count, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(ushort)) return Box(await ReadValuesAsync<ushort>(group, field, count, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(uint)) return Box(await ReadValuesAsync<uint>(group, field, count, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(ulong)) return Box(await ReadValuesAsync<ulong>(group, field, count, ct).ConfigureAwait(false), v => (double)v);
        if (t == typeof(double)) return Box(await ReadValuesAsync<double>(group, field, count, ct).ConfigureAwait(false), v => v);
        if (t == typeof(float)) return Box(await ReadValuesAsync<float>(group, field, count, ct).ConfigureAwait(false), v => (double)v);
        if (t == typeof(decimal)) return Box(await ReadValuesAsync<decimal>(group, field, count, ct).ConfigureAwait(false), v => (double)v);
        if (t == typeof(bool)) return Box(await ReadValuesAsync<bool>(group, field, count, ct).ConfigureAwait(false), v => v);
        if (t == typeof(DateTime)) return Box(await ReadValuesAsync<DateTime>(group, field, count, ct).ConfigureAwait(false), v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)));
        if (t == typeof(DateTimeOffset)) return Box(await ReadValuesAsync<DateTimeOffset>(group, field, count, ct).ConfigureAwait(false), v => v.ToUniversalTime());
        if (t == typeof(DateOnly)) return Box(await ReadValuesAsync<DateOnly>(group, field, count, ct).ConfigureAwait(false), v => v.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        if (t == typeof(TimeSpan)) return Box(await ReadValuesAsync<TimeSpan>(group, field, count, ct).ConfigureAwait(false), v => v.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        if (t == typeof(TimeOnly)) return Box(await ReadValuesAsync<TimeOnly>(group, field, count, ct).ConfigureAwait(false), v => v.ToString("HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture));
        if (t == typeof(Guid)) return Box(await ReadValuesAsync<Guid>(group, field, count, ct).ConfigureAwait(false), v => v.ToString());
        throw new NotSupportedException($"column '{field.Name}' has type {t.Name}");
    }

    private static async Task<T?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
        where T : struct
    {
        var values = new T?[count];
        await group.ReadAsync<T>(field, values.AsMemory(), cancellationToken: ct).ConfigureAwait(false);
        return values;
    }

    private static object?[] Box<T, TOut>(T?[] values, Func<T, TOut> convert)
        where T : struct
        => values.Select(v => v.HasValue ? (object?)convert(v.Value) : null).ToArray();
}
