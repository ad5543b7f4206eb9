using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
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
    public static CatalogNames Names(CatalogStore store) => NameTable(store).Names;

    /// <summary>Every (source, name) by its value_names id, and the names by source.</summary>
    private static ((ValueSource Source, string Name)?[] ById, CatalogNames Names) NameTable(CatalogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var byId = new List<(ValueSource, string)?>();
        var parameters = new HashSet<string>(StringComparer.Ordinal);
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        using var command = store.Connection.CreateCommand();
        command.CommandText = "SELECT id, source, name FROM value_names";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var source = (ValueSource)reader.GetInt32(1);
            var name = reader.GetString(2);
            var id = checked((int)reader.GetInt64(0));
            while (byId.Count <= id) byId.Add(null);
            byId[id] = (source, name);
            (source == ValueSource.Param ? parameters : metrics).Add(name);
        }
        return ([.. byId], new CatalogNames(parameters, metrics));
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
            SELECT r.id, r.experiment, r.run, r.git_commit, r.dirty, r.branch, r.host, r.question, r.executor, r.created, r.ended, r.duration, r.directory, r.archived_to, r.not_selected
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
                    new Dictionary<string, int>(StringComparer.Ordinal)) { NotSelected = reader.GetInt32(14) }));
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
        var (nameIds, names) = NameTable(store);
        using var command = store.Connection.CreateCommand();
        var conditions = new List<string>();
        if (filter.Experiment is not null)
        {
            conditions.Add("r.experiment = $experiment");
            command.Parameters.AddWithValue("$experiment", filter.Experiment);
        }
        if (filter.Where is not null) conditions.Add(Translate(filter.Where, names, command));
        var order = "r.created, r.run, j.ordinal";
        if (filter.Sort is not null)
        {
            var (key, descending) = SortKey(filter.Sort);
            var resolved = WhereSql.Resolve(key, 0, names);
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
        // The run's own columns come from one small lookup rather than with every job row: fewer columns to read.
        var runs = new Dictionary<long, (string Experiment, string Run, string Directory, bool Archived, int Rank)>();
        using (var runCommand = store.Connection.CreateCommand())
        {
            runCommand.CommandText = "SELECT id, experiment, run, directory, archived_to IS NOT NULL FROM runs ORDER BY created, run";
            using var reader = runCommand.ExecuteReader();
            while (reader.Read()) runs[reader.GetInt64(0)] = (reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) != 0, runs.Count);
        }
        // In the default order (runs by creation, jobs in manifest order) without a limit, the rows are sorted here on
        // two integers rather than by SQLite, which would copy every row, values included, into a temporary b-tree.
        var sortHere = filter.Sort is null && filter.Limit is null;
        // The variant and the directory are almost always the job id: NULL then, so the same string serves.
        command.CommandText = $"""
            SELECT j.vals, j.run_id, j.job, nullif(j.variant, j.job), j.kind, j.stage, j.state, j.attempts, j.exit_code, j.started, j.ended, j.duration,
                nullif(j.dir, j.job), j.ordinal, j.cpu_seconds, j.gpu_seconds, j.peak_rss_mb, j.output_bytes
            FROM jobs j JOIN runs r ON r.id = j.run_id {(conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "")}
            {(sortHere ? "" : $"ORDER BY {order} {Limit(filter)}")}
            """;
        var rows = new List<JobRow>();
        var keys = sortHere ? new KeyBuffer() : null;
        try
        {
            using (var reader = command.ExecuteReader())
            {
                ReadJobs(reader, nameIds, runs, rows, keys);
            }
            // (run rank, ordinal) as one number, the ordinal's sign bit flipped so it sorts as a signed int; sorted in
            // place with the rows, no copies (ordinals are unique within a run, so the order is total).
            keys?.Span.Sort(CollectionsMarshal.AsSpan(rows));
        }
        finally
        {
            keys?.Dispose();
        }
        return rows;
    }

    /// <summary>Sort keys in a pooled array: no large-object-heap allocation per listing.</summary>
    private sealed class KeyBuffer : IDisposable
    {
        private long[] _keys = ArrayPool<long>.Shared.Rent(1024);
        private int _count;

        public Span<long> Span => _keys.AsSpan(0, _count);

        public void Add(long key)
        {
            if (_count == _keys.Length)
            {
                var larger = ArrayPool<long>.Shared.Rent(_keys.Length * 2);
                _keys.AsSpan().CopyTo(larger);
                ArrayPool<long>.Shared.Return(_keys);
                _keys = larger;
            }
            _keys[_count++] = key;
        }

        public void Dispose() => ArrayPool<long>.Shared.Return(_keys);
    }

    // Runs once per row, in a process that lives for one command: compiled optimised at once rather than tiered.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReadJobs(
        SqliteDataReader reader,
        (ValueSource Source, string Name)?[] nameIds,
        Dictionary<long, (string Experiment, string Run, string Directory, bool Archived, int Rank)> runs,
        List<JobRow> rows,
        KeyBuffer? keys)
    {
        var shared = new Dictionary<(long, byte, long, string?), CatalogValue>();
        var strings = new StringPool();
        var scratch = new List<CatalogValue>();
        while (reader.Read())
        {
            var values = CatalogValues.Decode((byte[])reader.GetValue(0), nameIds, scratch, out var paramCount, shared);
            var parameters = new CatalogValueMap(values, 0, paramCount);
            var metrics = new CatalogValueMap(values, paramCount, values.Length - paramCount);
            var run = runs[reader.GetInt64(1)];
            var id = reader.GetString(2);
            var dir = reader.IsDBNull(12) ? id : reader.GetString(12);
            var directory = Path.Combine(run.Directory, dir.Replace('/', Path.DirectorySeparatorChar));
            rows.Add(new JobRow(
                run.Experiment, run.Run, id, reader.IsDBNull(3) ? id : strings.Get(reader.GetString(3)), strings.Get(reader.GetString(4)), strings.Get(reader.GetString(5)),
                strings.Get(reader.GetString(6)), reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetInt32(8), Text(reader, 9), Text(reader, 10),
                reader.IsDBNull(11) ? null : reader.GetDouble(11), directory, run.Archived, parameters, metrics)
            {
                CpuSeconds = reader.IsDBNull(14) ? null : reader.GetDouble(14),
                GpuSeconds = reader.IsDBNull(15) ? null : reader.GetDouble(15),
                PeakRssMb = reader.IsDBNull(16) ? null : reader.GetDouble(16),
                OutputBytes = reader.IsDBNull(17) ? null : reader.GetInt64(17),
            });
            keys?.Add(((long)run.Rank << 32) | (uint)(reader.GetInt32(13) ^ int.MinValue));
        }
    }

    private static string Translate(CatalogStore store, string where, SqliteCommand command) => Translate(where, Names(store), command);

    private static string Translate(string where, CatalogNames names, SqliteCommand command)
    {
        var expression = WhereParser.Parse(where);
        // Translated once plainly first: a mistake in the expression is reported as written, before any counting.
        var sql = WhereSql.Translate(expression, names);
        if (WhereDriver.Choose(command.Connection!, expression, names) is { } driver) sql = WhereSql.Translate(expression, names, driver);
        for (var i = 0; i < sql.Parameters.Count; i++) command.Parameters.AddWithValue("$w" + i.ToString(CultureInfo.InvariantCulture), sql.Parameters[i]);
        return sql.Sql;
    }

    private static (string Key, bool Descending) SortKey(string sort) =>
        sort.StartsWith('-') ? (sort[1..], true) : (sort.TrimStart('+'), false);

    private static string Limit(CatalogFilter filter) =>
        filter.Limit is { } n ? "LIMIT " + n.ToString(CultureInfo.InvariantCulture) : "";

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    /// <summary>One instance per distinct string: variants, kinds, stages and states repeat on every row.</summary>
    private sealed class StringPool
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public string Get(string s)
        {
            if (_seen.TryGetValue(s, out var known)) return known;
            _seen.Add(s);
            return s;
        }
    }
}
