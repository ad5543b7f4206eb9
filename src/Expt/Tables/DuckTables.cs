using System.Globalization;
using DuckDB.NET.Data;

namespace Expt.Tables;

/// <summary>Moves <see cref="ResultTable"/>s into and out of an in-process DuckDB database.</summary>
internal static class DuckTables
{
    /// <summary>Creates table <paramref name="name"/> with the table's columns and appends its rows.</summary>
    public static void Load(DuckDBConnection connection, string name, ResultTable table)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TABLE {Quote(name)} ({string.Join(", ", table.Columns.Select(c => $"{Quote(c.Name)} {SqlType(c.Type)}"))})";
            create.ExecuteNonQuery();
        }
        using var appender = connection.CreateAppender(name);
        foreach (var values in table.Rows)
        {
            var row = appender.CreateRow();
            for (var c = 0; c < values.Length; c++)
            {
                row = values[c] switch
                {
                    null => row.AppendNullValue(),
                    long l => row.AppendValue(l),
                    double d => row.AppendValue(d),
                    bool b => row.AppendValue(b),
                    DateTimeOffset t => row.AppendValue((DateTime?)t.UtcDateTime),
                    var other => row.AppendValue(Convert.ToString(other, CultureInfo.InvariantCulture)),
                };
            }
            row.EndRow();
        }
    }

    /// <summary>Reads a query's result, at most <paramref name="maxRows"/> rows; <paramref name="truncated"/> when there were more.</summary>
    public static ResultTable Read(DuckDBCommand command, int maxRows, out bool truncated)
    {
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new TableColumn(reader.GetName(i), TypeOf(reader.GetFieldType(i)))).ToList();
        var rows = new List<object?[]>();
        truncated = false;
        while (reader.Read())
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }
            var row = new object?[columns.Count];
            for (var c = 0; c < columns.Count; c++) row[c] = reader.IsDBNull(c) ? null : Value(reader.GetValue(c), columns[c].Type);
            rows.Add(row);
        }
        return new ResultTable(columns, rows, []);
    }

    private static TableColumnType TypeOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint)) return TableColumnType.Int64;
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(ulong) || t == typeof(System.Numerics.BigInteger)) return TableColumnType.Double;
        if (t == typeof(bool)) return TableColumnType.Boolean;
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return TableColumnType.Timestamp;
        return TableColumnType.String;
    }

    private static object? Value(object value, TableColumnType type) => type switch
    {
        TableColumnType.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        TableColumnType.Double => value is System.Numerics.BigInteger big ? (double)big : Convert.ToDouble(value, CultureInfo.InvariantCulture),
        TableColumnType.Boolean => (bool)value,
        TableColumnType.Timestamp => value is DateTimeOffset o ? o.ToUniversalTime() : new DateTimeOffset(DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc)),
        _ => value is System.Collections.IEnumerable and not string ? Join((System.Collections.IEnumerable)value) : Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Join(System.Collections.IEnumerable values) =>
        "[" + string.Join(", ", values.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))) + "]";

    private static string SqlType(TableColumnType type) => type switch
    {
        TableColumnType.Int64 => "BIGINT",
        TableColumnType.Double => "DOUBLE",
        TableColumnType.Boolean => "BOOLEAN",
        TableColumnType.Timestamp => "TIMESTAMP",
        _ => "VARCHAR",
    };

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
