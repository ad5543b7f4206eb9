using Expt.Internal;
using Parquet;
using Parquet.Schema;

namespace Expt.Tables;

/// <summary>
/// Reads and writes a <see cref="ResultTable"/> as Parquet (Parquet.Net): one optional column per table column
/// (INT64, DOUBLE, BOOLEAN, UTF-8 BYTE_ARRAY, TIMESTAMP in milliseconds adjusted to UTC), row groups of
/// <see cref="RowGroupRows"/> rows, snappy-compressed, with the table's metadata as the file's key-value metadata.
/// </summary>
public static class ParquetTableFile
{
    /// <summary>Rows per row group: readers can skip groups, and a writer holds only one group's columns at a time.</summary>
    public const int RowGroupRows = 100_000;

    /// <summary>
    /// Writes the table to <paramref name="path"/> atomically: into a temporary file beside it, then renamed over it, so
    /// a full disk or a crash leaves the old file (or none), never half of one.
    /// </summary>
    public static Task WriteAsync(ResultTable table, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        return AtomicFile.WriteStreamAsync(path, (stream, ct) => WriteAsync(table, stream, ct), cancellationToken);
    }

    /// <summary>Writes the table to a writable, seekable stream.</summary>
    public static async Task WriteAsync(ResultTable table, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        var fields = table.Columns.Select(Field).ToArray();
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, cancellationToken: cancellationToken).ConfigureAwait(false);
        writer.CustomMetadata = table.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        for (var start = 0; start < table.Rows.Count || start == 0; start += RowGroupRows)
        {
            var count = Math.Min(RowGroupRows, table.Rows.Count - start);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                await WriteColumnAsync(group, fields[c], table.Columns[c].Type, Slice(table.Rows, start, count, c), cancellationToken).ConfigureAwait(false);
            }
            if (table.Rows.Count == 0) break;
        }
    }

    /// <summary>Reads a Parquet file of flat columns; nested, list and map columns are refused.</summary>
    /// <exception cref="ResultTableException">The file is not Parquet, has a column Expt cannot type, or has more than <see cref="ResultTable.MaxRows"/> rows.</exception>
    public static async Task<ResultTable> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (RegularFile.Problem(path) is { } problem) throw new ResultTableException($"{path}: {problem}");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (reader.Schema.Fields.Count != reader.Schema.DataFields.Length || reader.Schema.DataFields.Any(f => f.IsArray))
            {
                throw new ResultTableException($"{path}: has nested, list or map columns; only flat columns are read");
            }
            var fields = reader.Schema.DataFields;
            var columns = fields.Select(f => new TableColumn(f.Name, TypeOf(f, path))).ToList();
            var rows = new List<object?[]>();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                if (rows.Count + group.RowCount > ResultTable.MaxRows) throw new ResultTableException($"{path}: has more than {ResultTable.MaxRows:N0} rows, the most read");
                var count = (int)group.RowCount;
                var start = rows.Count;
                for (var r = 0; r < count; r++) rows.Add(new object?[fields.Length]);
                for (var c = 0; c < fields.Length; c++)
                {
                    var values = await ParquetColumns.ReadAsync(group, fields[c], count, cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < count; r++) rows[start + r][c] = values[r];
                }
            }
            var metadata = reader.CustomMetadata.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            return new ResultTable(columns, rows, metadata);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new ResultTableException($"{path}: is not a Parquet file Expt can read: {e.Message}", e);
        }
    }

    private static TableColumnType TypeOf(DataField field, string path) =>
        ParquetColumns.TypeOf(field) ?? throw new ResultTableException($"{path}: column '{field.Name}' has type {field.ClrType.Name}, which Expt does not read");

    private static DataField Field(TableColumn column) => column.Type switch
    {
        TableColumnType.Int64 => new DataField<long?>(column.Name),
        TableColumnType.Double => new DataField<double?>(column.Name),
        TableColumnType.Boolean => new DataField<bool?>(column.Name),
        TableColumnType.Timestamp => new DateTimeDataField(column.Name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: true),
        _ => new DataField<string>(column.Name, true),
    };

    private static object?[] Slice(IReadOnlyList<object?[]> rows, int start, int count, int column)
    {
        var values = new object?[count];
        for (var r = 0; r < count; r++) values[r] = rows[start + r][column];
        return values;
    }

    private static async Task WriteColumnAsync(ParquetRowGroupWriter group, DataField field, TableColumnType type, object?[] values, CancellationToken ct)
    {
        switch (type)
        {
            case TableColumnType.Int64:
                await group.WriteAsync<long>(field, values.Select(v => (long?)v).ToArray().AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                break;
            case TableColumnType.Double:
                await group.WriteAsync<double>(field, values.Select(v => (double?)v).ToArray().AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                break;
            case TableColumnType.Boolean:
                await group.WriteAsync<bool>(field, values.Select(v => (bool?)v).ToArray().AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                break;
            case TableColumnType.Timestamp:
                await group.WriteAsync<DateTime>(field, values.Select(v => v is DateTimeOffset t ? t.UtcDateTime : (DateTime?)null).ToArray().AsMemory(), cancellationToken: ct).ConfigureAwait(false);
                break;
            default:
                await group.WriteAsync(field, values.Select(v => (string?)v).ToArray()).ConfigureAwait(false);
                break;
        }
    }
}
