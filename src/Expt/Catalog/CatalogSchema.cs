using Microsoft.Data.Sqlite;

namespace Expt.Catalog;

/// <summary>
/// The catalog's tables. A catalog whose <c>PRAGMA user_version</c> is not <see cref="Version"/> is rebuilt from the
/// files, never migrated: the files are the truth, so a rebuild is always correct and the schema can change freely.
/// </summary>
public static class CatalogSchema
{
    /// <summary>The schema version this Expt writes (stored as <c>PRAGMA user_version</c>).</summary>
    public const int Version = 6;

    // Params and metrics live in one narrow table rather than in columns: names differ per experiment, and an index
    // on (source, name, num) turns "lr < 1e-3" into an index range scan whatever the experiment. The same values are
    // also kept with each job as one compact blob (jobs.vals, see CatalogValues), because showing 10,000 rows reads
    // one column per row rather than ten index lookups; the blob names values by value_names.id.
    private const string Tables = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
        CREATE TABLE runs(
            id INTEGER PRIMARY KEY,
            location TEXT NOT NULL UNIQUE,
            stamp TEXT NOT NULL,
            experiment TEXT NOT NULL,
            run TEXT NOT NULL,
            directory TEXT NOT NULL,
            git_commit TEXT NOT NULL,
            dirty INTEGER NOT NULL,
            branch TEXT,
            host TEXT,
            question TEXT,
            notes TEXT,
            executor TEXT NOT NULL,
            created TEXT NOT NULL,
            ended TEXT,
            updated TEXT NOT NULL,
            duration REAL,
            archived_to TEXT,
            not_selected INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE jobs(
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            job TEXT NOT NULL,
            variant TEXT NOT NULL,
            kind TEXT NOT NULL,
            stage TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            exit_code INTEGER,
            started TEXT,
            ended TEXT,
            duration REAL,
            cpu_seconds REAL,
            gpu_seconds REAL,
            peak_rss_mb REAL,
            output_bytes INTEGER,
            dir TEXT NOT NULL,
            vals BLOB NOT NULL);
        CREATE TABLE job_values(
            job_id INTEGER NOT NULL,
            source INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            num REAL,
            text TEXT,
            PRIMARY KEY(job_id, source, name)) WITHOUT ROWID;
        CREATE TABLE value_names(id INTEGER PRIMARY KEY, source INTEGER NOT NULL, name TEXT NOT NULL, UNIQUE(source, name));
        """;

    // Created after a bulk load: building an index once is much faster than maintaining it row by row.
    private const string Indexes = """
        CREATE INDEX IF NOT EXISTS runs_experiment ON runs(experiment, created);
        CREATE UNIQUE INDEX IF NOT EXISTS jobs_run ON jobs(run_id, job);
        CREATE INDEX IF NOT EXISTS jobs_run_state ON jobs(run_id, state);
        CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state);
        CREATE INDEX IF NOT EXISTS job_values_num ON job_values(source, name, num);
        CREATE INDEX IF NOT EXISTS job_values_text ON job_values(source, name, text);
        """;

    /// <summary>Creates the tables (without the secondary indexes) in an empty database.</summary>
    public static void CreateTables(SqliteConnection connection, SqliteTransaction? transaction)
    {
        Execute(connection, transaction, Tables);
    }

    /// <summary>Creates the secondary indexes and stamps the schema version.</summary>
    public static void CreateIndexes(SqliteConnection connection, SqliteTransaction? transaction)
    {
        // ANALYZE gives the planner the sizes of the indexes, so that e.g. a filter on params and on the state probes
        // jobs by id from the param index rather than through the (unselective) state index.
        Execute(connection, transaction, Indexes + $"\nANALYZE;\nPRAGMA user_version = {Version};");
    }

    /// <summary>The schema version of an open database (0 for an empty one).</summary>
    public static long ReadVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)(command.ExecuteScalar() ?? 0L);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
