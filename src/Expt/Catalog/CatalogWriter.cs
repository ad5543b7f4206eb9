using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Expt.Catalog;

/// <summary>
/// Writes runs and jobs into the catalog inside one transaction, with prepared commands reused for every row
/// (a reindex of 100,000 jobs is a million value rows: per-row parsing or per-row transactions would dominate).
/// Commit with <see cref="Commit"/>; disposing without it rolls everything back.
/// </summary>
public sealed class CatalogWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly Dictionary<(ValueSource, string), long> _names = [];
    private readonly SqliteCommand _upsertRun;
    private readonly SqliteCommand _insertJob;
    private readonly SqliteCommand _upsertJob;
    private readonly SqliteCommand _insertValue;
    private readonly SqliteCommand _deleteValues;
    private readonly SqliteCommand _findRun;
    private readonly SqliteCommand _insertName;
    private Func<ValueSource, string, long>? _nameId;

    /// <summary>Starts a write transaction on <paramref name="connection"/>.</summary>
    public CatalogWriter(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _transaction = connection.BeginTransaction();
        _upsertRun = Prepare("""
            INSERT INTO runs(location, stamp, experiment, run, directory, git_commit, dirty, branch, host, question, executor, created, ended, updated, duration, archived_to, not_selected, notes)
            VALUES($location, $stamp, $experiment, $run, $directory, $commit, $dirty, $branch, $host, $question, $executor, $created, $ended, $updated, $duration, $archived, $notSelected, $notes)
            ON CONFLICT(location) DO UPDATE SET stamp = excluded.stamp, experiment = excluded.experiment, run = excluded.run, directory = excluded.directory,
                git_commit = excluded.git_commit, dirty = excluded.dirty, branch = excluded.branch, host = excluded.host, question = excluded.question,
                executor = excluded.executor, created = excluded.created, ended = excluded.ended, updated = excluded.updated, duration = excluded.duration,
                archived_to = excluded.archived_to, not_selected = excluded.not_selected, notes = excluded.notes
            RETURNING id
            """, "$location", "$stamp", "$experiment", "$run", "$directory", "$commit", "$dirty", "$branch", "$host", "$question", "$executor", "$created", "$ended", "$updated", "$duration", "$archived", "$notSelected", "$notes");
        const string jobColumns = "run_id, ordinal, job, variant, kind, stage, state, attempts, exit_code, started, ended, duration, dir, vals, cpu_seconds, gpu_seconds, peak_rss_mb, output_bytes";
        const string jobValues = "$run, $ordinal, $job, $variant, $kind, $stage, $state, $attempts, $exit, $started, $ended, $duration, $dir, $vals, $cpu, $gpu, $rss, $output";
        string[] jobParameters = ["$run", "$ordinal", "$job", "$variant", "$kind", "$stage", "$state", "$attempts", "$exit", "$started", "$ended", "$duration", "$dir", "$vals", "$cpu", "$gpu", "$rss", "$output"];
        _insertJob = Prepare($"INSERT INTO jobs({jobColumns}) VALUES({jobValues}) RETURNING id", jobParameters);
        _upsertJob = Prepare($"""
            INSERT INTO jobs({jobColumns}) VALUES({jobValues})
            ON CONFLICT(run_id, job) DO UPDATE SET variant = excluded.variant, kind = excluded.kind, stage = excluded.stage,
                state = excluded.state, attempts = excluded.attempts, exit_code = excluded.exit_code, started = excluded.started, ended = excluded.ended,
                duration = excluded.duration, dir = excluded.dir, vals = excluded.vals, cpu_seconds = excluded.cpu_seconds,
                gpu_seconds = excluded.gpu_seconds, peak_rss_mb = excluded.peak_rss_mb, output_bytes = excluded.output_bytes
            RETURNING id
            """, jobParameters);
        _insertValue = Prepare("INSERT OR REPLACE INTO job_values(job_id, source, name, kind, num, text) VALUES($job, $source, $name, $kind, $num, $text)",
            "$job", "$source", "$name", "$kind", "$num", "$text");
        _deleteValues = Prepare("DELETE FROM job_values WHERE job_id = $job", "$job");
        _findRun = Prepare("SELECT id FROM runs WHERE location = $location", "$location");
        _insertName = Prepare("INSERT INTO value_names(source, name) VALUES($source, $name) RETURNING id", "$source", "$name");
        using var names = Prepare("SELECT id, source, name FROM value_names");
        using var reader = names.ExecuteReader();
        while (reader.Read()) _names[((ValueSource)reader.GetInt32(1), reader.GetString(2))] = reader.GetInt64(0);
    }

    /// <summary>Replaces everything the catalog holds about a run (its jobs must be given).</summary>
    public void ReplaceRun(CatalogRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        RemoveRun(run.Location);
        var id = UpsertRunFields(run);
        foreach (var job in run.Jobs ?? []) InsertJob(_insertJob, id, job);
    }

    /// <summary>Inserts or updates a run's own fields and stamp, leaving its jobs as they are; returns its row id.</summary>
    public long UpsertRunFields(CatalogRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var p = _upsertRun.Parameters;
        p[0].Value = run.Location;
        p[1].Value = run.Stamp;
        p[2].Value = run.Experiment;
        p[3].Value = run.RunId;
        p[4].Value = run.Directory;
        p[5].Value = run.Commit;
        p[6].Value = run.Dirty ? 1 : 0;
        p[7].Value = Db(run.Branch);
        p[8].Value = Db(run.Host);
        p[9].Value = Db(run.Question);
        p[10].Value = run.Executor;
        p[11].Value = Time(run.Created);
        p[12].Value = Db(Time(run.Ended));
        p[13].Value = Time(run.Updated);
        p[14].Value = Math.Max(0, ((run.Ended ?? run.Updated) - run.Created).TotalSeconds);
        p[15].Value = Db(run.ArchivedTo);
        p[16].Value = run.NotSelected;
        p[17].Value = Db(run.Notes);
        return (long)_upsertRun.ExecuteScalar()!;
    }

    /// <summary>Inserts or updates one job of a known run and replaces its values.</summary>
    public void UpsertJob(long runId, CatalogJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        InsertJob(_upsertJob, runId, job, replaceValues: true);
    }

    /// <summary>The row id of a run, or null when the catalog does not have it.</summary>
    public long? FindRun(string location)
    {
        _findRun.Parameters[0].Value = location;
        return _findRun.ExecuteScalar() is long id ? id : null;
    }

    /// <summary>Removes a run and its jobs.</summary>
    public void RemoveRun(string location)
    {
        if (FindRun(location) is not { } id) return;
        Execute($"DELETE FROM job_values WHERE job_id IN (SELECT id FROM jobs WHERE run_id = {id}); DELETE FROM jobs WHERE run_id = {id}; DELETE FROM runs WHERE id = {id};");
    }

    /// <summary>Records the stamp of a run's files as they are now.</summary>
    public void UpdateStamp(long runId, string stamp)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = "UPDATE runs SET stamp = $s WHERE id = $id";
        command.Parameters.AddWithValue("$s", stamp);
        command.Parameters.AddWithValue("$id", runId);
        command.ExecuteNonQuery();
    }

    /// <summary>Records a meta value (e.g. the results root the catalog describes).</summary>
    public void SetMeta(string key, string value)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = "INSERT OR REPLACE INTO meta(key, value) VALUES($k, $v)";
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs SQL inside the transaction (schema statements during a rebuild).</summary>
    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The transaction, for schema statements during a rebuild.</summary>
    internal SqliteTransaction Transaction => _transaction;

    /// <summary>Commits.</summary>
    public void Commit() => _transaction.Commit();

    /// <summary>The id of a (source, name) in value_names, added when new (the values blob refers to names by it).</summary>
    private long NameId(ValueSource source, string name)
    {
        if (_names.TryGetValue((source, name), out var id)) return id;
        _insertName.Parameters[0].Value = (int)source;
        _insertName.Parameters[1].Value = name;
        id = (long)_insertName.ExecuteScalar()!;
        _names[(source, name)] = id;
        return id;
    }

    private long InsertJob(SqliteCommand command, long runId, CatalogJob job, bool replaceValues = false)
    {
        var p = command.Parameters;
        p[0].Value = runId;
        p[1].Value = job.Ordinal;
        p[2].Value = job.Id;
        p[3].Value = job.Variant;
        p[4].Value = job.Kind;
        p[5].Value = job.Stage;
        p[6].Value = job.State;
        p[7].Value = job.Attempts;
        p[8].Value = Db(job.ExitCode);
        p[9].Value = Db(Time(job.Started));
        p[10].Value = Db(Time(job.Ended));
        p[11].Value = Db(job.Duration);
        p[12].Value = job.Directory;
        p[13].Value = CatalogValues.Encode(job.Values, _nameId ??= NameId);
        p[14].Value = Db(job.CpuSeconds);
        p[15].Value = Db(job.GpuSeconds);
        p[16].Value = Db(job.PeakRssMb);
        p[17].Value = Db(job.OutputBytes);
        var id = (long)command.ExecuteScalar()!;
        if (replaceValues)
        {
            _deleteValues.Parameters[0].Value = id;
            _deleteValues.ExecuteNonQuery();
        }
        var v = _insertValue.Parameters;
        foreach (var value in job.Values)
        {
            v[0].Value = id;
            v[1].Value = (int)value.Source;
            v[2].Value = value.Name;
            v[3].Value = (int)value.Kind;
            v[4].Value = value.Number is { } n && !double.IsNaN(n) ? n : DBNull.Value;
            v[5].Value = Db(value.Text);
            _insertValue.ExecuteNonQuery();
        }
        return id;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    /// <summary>Times are stored as sortable UTC text, so <c>created &gt;= 2026-01-01</c> compares as dates do.</summary>
    internal static string? Time(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static object Db(object? value) => value ?? DBNull.Value;

    /// <inheritdoc />
    public void Dispose()
    {
        _upsertRun.Dispose();
        _insertJob.Dispose();
        _upsertJob.Dispose();
        _insertValue.Dispose();
        _deleteValues.Dispose();
        _findRun.Dispose();
        _insertName.Dispose();
        _transaction.Dispose();
    }
}
