using System.Globalization;
using Expt.Catalog;
using Microsoft.Data.Sqlite;

namespace Expt.Tables;

/// <summary>
/// The catalog as the tables <c>expt query</c> offers: <c>runs</c>, <c>jobs</c>, <c>params</c> and <c>metrics</c>
/// (one row per job and name: <c>value</c> the number, 1/0 for a boolean; <c>text</c> the text, or the JSON of a list or
/// map; <c>kind</c> one of number, text, boolean, json). Times are UTC timestamps.
/// </summary>
public static class CatalogTables
{
    private const string RunsSql = """
        SELECT experiment, run, git_commit, dirty, branch, host, question, notes, executor, created, ended, duration AS wall_seconds,
            directory, archived_to, not_selected FROM runs ORDER BY experiment, created, run
        """;

    private const string JobsSql = """
        SELECT r.experiment, r.run, j.job, j.variant, j.kind, j.stage, j.state, j.attempts, j.exit_code, j.started, j.ended,
            j.duration AS wall_seconds, j.cpu_seconds, j.gpu_seconds, j.peak_rss_mb, j.output_bytes, j.dir
        FROM jobs j JOIN runs r ON r.id = j.run_id ORDER BY r.experiment, r.created, r.run, j.ordinal
        """;

    private const string ValuesSql = """
        SELECT r.experiment, r.run, j.job, v.name, v.num AS value, v.text, v.kind
        FROM job_values v JOIN jobs j ON j.id = v.job_id JOIN runs r ON r.id = j.run_id
        WHERE v.source = $source ORDER BY r.experiment, r.created, r.run, j.ordinal, v.name
        """;

    private static readonly TableColumnType[] RunTypes =
    [
        TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.Boolean, TableColumnType.String, TableColumnType.String,
        TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.Timestamp, TableColumnType.Timestamp, TableColumnType.Double,
        TableColumnType.String, TableColumnType.String, TableColumnType.Int64,
    ];

    private static readonly TableColumnType[] JobTypes =
    [
        TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.String,
        TableColumnType.String, TableColumnType.Int64, TableColumnType.Int64, TableColumnType.Timestamp, TableColumnType.Timestamp, TableColumnType.Double,
        TableColumnType.Double, TableColumnType.Double, TableColumnType.Double, TableColumnType.Int64, TableColumnType.String,
    ];

    private static readonly TableColumnType[] ValueTypes =
    [
        TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.String, TableColumnType.Double, TableColumnType.String, TableColumnType.String,
    ];

    /// <summary>Reads the four tables from an open, current catalog.</summary>
    public static IReadOnlyList<KeyValuePair<string, ResultTable>> Read(CatalogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return
        [
            new("runs", Read(store.Connection, RunsSql, RunTypes, null)),
            new("jobs", Read(store.Connection, JobsSql, JobTypes, null)),
            new("params", Read(store.Connection, ValuesSql, ValueTypes, ValueSource.Param)),
            new("metrics", Read(store.Connection, ValuesSql, ValueTypes, ValueSource.Metric)),
        ];
    }

    private static ResultTable Read(SqliteConnection connection, string sql, TableColumnType[] types, ValueSource? source)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (source is { } s) command.Parameters.AddWithValue("$source", (int)s);
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(i => new TableColumn(reader.GetName(i), types[i])).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                if (reader.IsDBNull(c)) continue;
                row[c] = columns[c].Name == "kind" && source is not null ? Kind(reader.GetInt32(c)) : Value(reader, c, columns[c].Type);
            }
            rows.Add(row);
        }
        return new ResultTable(columns, rows, []);
    }

    private static object? Value(SqliteDataReader reader, int c, TableColumnType type) => type switch
    {
        TableColumnType.Int64 => reader.GetInt64(c),
        TableColumnType.Double => reader.GetDouble(c),
        TableColumnType.Boolean => reader.GetInt64(c) != 0,
        TableColumnType.Timestamp => DateTimeOffset.TryParse(reader.GetString(c), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null,
        _ => reader.GetString(c),
    };

    private static string Kind(int kind) => (ValueKind)kind switch
    {
        ValueKind.Number => "number",
        ValueKind.Text => "text",
        ValueKind.Boolean => "boolean",
        _ => "json",
    };
}
