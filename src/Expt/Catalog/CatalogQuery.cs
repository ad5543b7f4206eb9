using System.Globalization;
using Expt.Catalog.Query;
using Microsoft.Data.Sqlite;

namespace Expt.Catalog;

/// <summary>
/// Lists runs and jobs from the catalog. The filter, sort and limit run in SQL; only the rows returned are turned
/// into objects, and only their values are loaded.
/// </summary>
public static class CatalogQuery
{
    private static readonly IReadOnlyDictionary<string, string> RunSorts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["experiment"] = "r.experiment",
        ["run"] = "r.run",
        ["commit"] = "r.git_commit",
        ["dirty"] = "r.dirty",
        ["branch"] = "r.branch",
        ["host"] = "r.host",
        ["executor"] = "r.executor",
        ["question"] = "r.question",
        ["created"] = "r.created",
        ["ended"] = "r.ended",
        ["duration"] = "r.duration",
        ["archived"] = "(r.archived_to IS NOT NULL)",
        ["jobs"] = "(SELECT count(*) FROM jobs jc WHERE jc.run_id = r.id)",
    };

    /// <summary>The param and metric names the catalog has seen.</summary>
    public static CatalogNames Names(CatalogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var parameters = new HashSet<string>(StringComparer.Ordinal);
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        using var command = store.Connection.CreateCommand();
        command.CommandText = "SELECT source, name FROM value_names";
        using var reader = command.ExecuteReader();
        while (reader.Read()) (reader.GetInt32(0) == (int)ValueSource.Param ? parameters : metrics).Add(reader.GetString(1));
        return new CatalogNames(parameters, metrics);
    }

    /// <summary>
    /// Lists runs. With a <c>--where</c> expression, a run is listed when at least one of its jobs matches
    /// (run fields such as <c>commit</c> apply to every job of the run).
    /// </summary>
    public static IReadOnlyList<RunRow> Runs(CatalogStore store, CatalogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        using var command = store.Connection.CreateCommand();
        var conditions = new List<string>();
        if (filter.Experiment is not null)
        {
            conditions.Add("r.experiment = $experiment");
            command.Parameters.AddWithValue("$experiment", filter.Experiment);
        }
        if (filter.Where is not null)
        {
            var where = Translate(store, filter.Where, command);
            conditions.Add($"EXISTS (SELECT 1 FROM jobs j WHERE j.run_id = r.id AND {where})");
        }
        string order;
        if (filter.Sort is null)
        {
            order = "r.created, r.run";
        }
        else
        {
            var (key, descending) = SortKey(filter.Sort);
            if (!RunSorts.TryGetValue(key, out var sql))
            {
                throw new WhereException($"'{key}': runs sort by {string.Join(", ", RunSorts.Keys)}{Expt.Specs.DidYouMean.Suggest(key, RunSorts.Keys)}; params and metrics sort jobs (add --jobs)");
            }
            order = $"{sql} {(descending ? "DESC" : "ASC")} NULLS LAST, r.created, r.run";
        }
        command.CommandText = $"""
            SELECT r.id, r.experiment, r.run, r.git_commit, r.dirty, r.branch, r.host, r.question, r.executor, r.created, r.ended, r.duration, r.directory, r.archived_to
            FROM runs r {(conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "")}
            ORDER BY {order} {Limit(filter)}
            """;
        var rows = new List<(long Id, RunRow Row)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add((reader.GetInt64(0), new RunRow(
                    reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) != 0, Text(reader, 5), Text(reader, 6), Text(reader, 7),
                    reader.GetString(8), reader.GetString(9), Text(reader, 10), reader.IsDBNull(11) ? null : reader.GetDouble(11), reader.GetString(12), Text(reader, 13),
                    new Dictionary<string, int>(StringComparer.Ordinal))));
            }
        }
        var byId = rows.ToDictionary(r => r.Id, r => (Dictionary<string, int>)r.Row.States);
        foreach (var chunk in byId.Keys.Chunk(500))
        {
            using var counts = store.Connection.CreateCommand();
            counts.CommandText = $"SELECT run_id, state, count(*) FROM jobs WHERE run_id IN ({string.Join(',', chunk)}) GROUP BY run_id, state";
            using var reader = counts.ExecuteReader();
            while (reader.Read()) byId[reader.GetInt64(0)][reader.GetString(1)] = reader.GetInt32(2);
        }
        return rows.Select(r => r.Row).ToList();
    }

    /// <summary>Lists jobs matching the filter, with their params and metrics.</summary>
    public static IReadOnlyList<JobRow> Jobs(CatalogStore store, CatalogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(filter);
        using var command = store.Connection.CreateCommand();
        var conditions = new List<string>();
        if (filter.Experiment is not null)
        {
            conditions.Add("r.experiment = $experiment");
            command.Parameters.AddWithValue("$experiment", filter.Experiment);
        }
        if (filter.Where is not null) conditions.Add(Translate(store, filter.Where, command));
        var order = "r.created, r.run, j.ordinal";
        if (filter.Sort is not null)
        {
            var (key, descending) = SortKey(filter.Sort);
            var resolved = WhereSql.Resolve(key, 0, Names(store));
            var direction = descending ? "DESC" : "ASC";
            if (resolved.Source is { } source)
            {
                command.Parameters.AddWithValue("$sort", resolved.Name);
                order = $"(SELECT coalesce(v.num, v.text) FROM job_values v WHERE v.job_id = j.id AND v.source = {(int)source} AND v.name = $sort) {direction} NULLS LAST, {order}";
            }
            else
            {
                order = $"{resolved.FieldSql} {direction} NULLS LAST, {order}";
            }
        }
        command.CommandText = $"""
            SELECT j.vals, r.experiment, r.run, j.job, j.variant, j.kind, j.stage, j.state, j.attempts, j.exit_code, j.started, j.ended, j.duration, r.directory, j.dir, r.archived_to
            FROM jobs j JOIN runs r ON r.id = j.run_id {(conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "")}
            ORDER BY {order} {Limit(filter)}
            """;
        var rows = new List<JobRow>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var parameters = new Dictionary<string, CatalogValue>(StringComparer.Ordinal);
                var metrics = new Dictionary<string, CatalogValue>(StringComparer.Ordinal);
                CatalogValues.Read(reader.GetString(0), parameters, metrics);
                var directory = Path.Combine(reader.GetString(13), reader.GetString(14).Replace('/', Path.DirectorySeparatorChar));
                rows.Add(new JobRow(
                    reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                    reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetInt32(9), Text(reader, 10), Text(reader, 11), reader.IsDBNull(12) ? null : reader.GetDouble(12),
                    directory, !reader.IsDBNull(15), parameters, metrics));
            }
        }
        return rows;
    }

    private static string Translate(CatalogStore store, string where, SqliteCommand command)
    {
        var sql = WhereSql.Translate(WhereParser.Parse(where), Names(store));
        for (var i = 0; i < sql.Parameters.Count; i++) command.Parameters.AddWithValue("$w" + i.ToString(CultureInfo.InvariantCulture), sql.Parameters[i]);
        return sql.Sql;
    }

    private static (string Key, bool Descending) SortKey(string sort) =>
        sort.StartsWith('-') ? (sort[1..], true) : (sort.TrimStart('+'), false);

    private static string Limit(CatalogFilter filter) =>
        filter.Limit is { } n ? "LIMIT " + n.ToString(CultureInfo.InvariantCulture) : "";

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
