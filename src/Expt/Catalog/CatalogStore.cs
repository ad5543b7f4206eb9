using System.Collections.Concurrent;
using System.Diagnostics;
using Expt.Results;
using Microsoft.Data.Sqlite;

namespace Expt.Catalog;

/// <summary>What bringing the catalog up to date did.</summary>
/// <param name="Runs">Runs in the catalog afterwards.</param>
/// <param name="Jobs">Jobs in the catalog afterwards.</param>
/// <param name="Read">Runs read from their files (new or changed).</param>
/// <param name="Removed">Runs removed because their files are gone.</param>
/// <param name="Rebuilt">Whether the whole catalog was built anew (missing, corrupt, other version, forced).</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Problems">Runs that could not be read (left out).</param>
public sealed record CatalogRefresh(int Runs, int Jobs, int Read, int Removed, bool Rebuilt, TimeSpan Elapsed, IReadOnlyList<string> Problems);

/// <summary>
/// The catalog of a results root: an SQLite database at <c>{results}/.expt/catalog.db</c> (or <c>EXPT_CATALOG</c>)
/// indexing every run, job, param and metric so listings need not read every file. The files stay the truth:
/// a missing, corrupt, foreign or other-version catalog is rebuilt from them, and <see cref="Refresh"/> re-reads
/// exactly the runs whose files changed since they were indexed.
/// </summary>
public sealed class CatalogStore : IDisposable
{
    /// <summary>The environment variable that puts the catalog elsewhere (e.g. on local disk when the results are on NFS).</summary>
    public const string EnvironmentVariable = "EXPT_CATALOG";

    private const string RootKey = "root";

    // mmap: a listing reads pages straight from the OS page cache instead of copying each one through read() into a
    // fresh process's empty SQLite cache (the database file is ~1 KB per job).
    private const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA mmap_size = 268435456;";
    private bool _needsFullIndex;

    private CatalogStore(string root, string path, SqliteConnection connection, bool needsFullIndex)
    {
        Root = root;
        FilePath = path;
        Connection = connection;
        _needsFullIndex = needsFullIndex;
    }

    /// <summary>The results root the catalog describes (absolute).</summary>
    public string Root { get; }

    /// <summary>The database file, or <c>:memory:</c> when no file could be written (a read-only results root).</summary>
    public string FilePath { get; }

    /// <summary>Whether the catalog was just created and holds nothing yet (the next <see cref="Refresh"/> reads everything).</summary>
    internal bool NeedsFullIndex => _needsFullIndex;

    /// <summary>The open connection.</summary>
    internal SqliteConnection Connection { get; }

    /// <summary>Where the catalog of <paramref name="root"/> lives: <c>EXPT_CATALOG</c>, else <c>{root}/.expt/catalog.db</c>.</summary>
    public static string PathFor(string root)
    {
        var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(env) ? Path.Combine(root, ".expt", "catalog.db") : Path.GetFullPath(env);
    }

    /// <summary>
    /// Opens the catalog of <paramref name="root"/>, creating it when missing and starting it afresh when it is
    /// unreadable, of another schema version, or of another results root. Call <see cref="Refresh"/> before reading.
    /// </summary>
    public static CatalogStore Open(string root)
    {
        root = Path.GetFullPath(root);
        var path = PathFor(root);
        try
        {
            return OpenFile(root, path);
        }
        catch (SqliteException)
        {
            Delete(path);
        }
        catch (IOException)
        {
            return OpenInMemory(root);
        }
        catch (UnauthorizedAccessException)
        {
            return OpenInMemory(root);
        }
        try
        {
            return OpenFile(root, path);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // Nowhere to keep it: index into memory for this one command rather than fail.
            return OpenInMemory(root);
        }
    }

    /// <summary>
    /// Opens the catalog, brings it up to date and runs <paramref name="action"/> on it. A catalog found corrupt on
    /// the way is deleted and rebuilt once, transparently.
    /// </summary>
    public static T Use<T>(string root, Func<CatalogStore, CatalogRefresh, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        for (var attempt = 1; ; attempt++)
        {
            var store = Open(root);
            try
            {
                var refresh = store.Refresh();
                return action(store, refresh);
            }
            catch (SqliteException e) when (attempt == 1 && IsDamage(e))
            {
                store.Dispose();
                Delete(store.FilePath);
            }
            finally
            {
                store.Dispose();
            }
        }
    }

    /// <summary>Rebuilds the catalog of <paramref name="root"/> from the files, whatever state it was in.</summary>
    public static CatalogRefresh Rebuild(string root)
    {
        root = Path.GetFullPath(root);
        Delete(PathFor(root));
        using var store = Open(root);
        return store.Refresh();
    }

    /// <summary>
    /// Brings the catalog up to date with the files: one stat of manifest.json and its journal per run; runs whose
    /// stamp changed are read again (in parallel), new runs are added, and runs whose files are gone are removed.
    /// </summary>
    public CatalogRefresh Refresh()
    {
        var clock = Stopwatch.StartNew();
        var onDisk = new Dictionary<string, (string Path, string Stamp)>(StringComparer.Ordinal);
        foreach (var location in RunReader.Locations(Root))
        {
            onDisk[CatalogIndexer.LocationKey(Root, location)] = (location, RunStamp.Of(location));
        }
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!_needsFullIndex)
        {
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT location, stamp FROM runs";
            using var reader = command.ExecuteReader();
            while (reader.Read()) known[reader.GetString(0)] = reader.GetString(1);
        }
        var changed = onDisk.Where(kv => !known.TryGetValue(kv.Key, out var stamp) || stamp != kv.Value.Stamp).Select(kv => kv.Value.Path).ToList();
        var removed = known.Keys.Where(k => !onDisk.ContainsKey(k)).ToList();
        IReadOnlyList<string> problems = [];
        var rebuilt = _needsFullIndex;
        if (changed.Count > 0 || removed.Count > 0 || _needsFullIndex)
        {
            var found = new ConcurrentQueue<string>();
            using var writer = new CatalogWriter(Connection);
            foreach (var location in removed) writer.RemoveRun(location);
            foreach (var run in CatalogIndexer.ReadStreaming(Root, changed, found)) writer.ReplaceRun(run);
            problems = [.. found];
            if (_needsFullIndex)
            {
                writer.SetMeta(RootKey, Root);
                CatalogSchema.CreateIndexes(Connection, writer.Transaction);
            }
            writer.Commit();
            // Keeps the planner's statistics (ANALYZE after a full build) in line when the catalog grew a lot since.
            if (!rebuilt) Execute(Connection, "PRAGMA optimize;");
            _needsFullIndex = false;
        }
        var (runCount, jobCount) = Counts();
        return new CatalogRefresh(runCount, jobCount, changed.Count - problems.Count, removed.Count, rebuilt, clock.Elapsed, problems);
    }

    private (int Runs, int Jobs) Counts()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM jobs)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private static CatalogStore OpenFile(string root, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = Connect(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        try
        {
            Execute(connection, Pragmas);
            var version = CatalogSchema.ReadVersion(connection);
            if (version == CatalogSchema.Version && ReadMeta(connection, RootKey) == root) return new CatalogStore(root, path, connection, needsFullIndex: false);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        // Another version, another root, or a build that never finished: start from an empty file.
        connection.Dispose();
        Delete(path);
        return Create(root, path, Connect(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString()), wal: true);
    }

    private static CatalogStore OpenInMemory(string root) => Create(root, ":memory:", Connect("Data Source=:memory:"), wal: false);

    private static CatalogStore Create(string root, string path, SqliteConnection connection, bool wal)
    {
        try
        {
            if (wal) Execute(connection, Pragmas);
            CatalogSchema.CreateTables(connection, null);
            return new CatalogStore(root, path, connection, needsFullIndex: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteConnection Connect(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static string? ReadMeta(SqliteConnection connection, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $k";
        command.Parameters.AddWithValue("$k", key);
        return command.ExecuteScalar() as string;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // SQLITE_CORRUPT and SQLITE_NOTADB, and SQLITE_ERROR, which is what a table of the wrong shape gives (a catalog
    // edited by hand, or written by a build whose schema differed under the same version): all are cured by a rebuild.
    private static bool IsDamage(SqliteException e) => e.SqliteErrorCode is 1 or 11 or 26;

    /// <summary>Deletes a catalog file with its WAL and shared-memory files.</summary>
    private static void Delete(string path)
    {
        if (path == ":memory:") return;
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
