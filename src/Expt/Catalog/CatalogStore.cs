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
public sealed record CatalogRefresh(int Runs, int Jobs, int Read, int Removed, bool Rebuilt, TimeSpan Elapsed, IReadOnlyList<string> Problems)
{
    /// <summary>Why the catalog was indexed into memory only, its file left unwritten (null when the file was written).</summary>
    public string? NotWritten { get; init; }

    /// <summary>
    /// Files of the runs read that were left unread (not regular files, over a size limit, corrupt Inspect logs), each
    /// as <c>path: why</c>; their runs are in the catalog without what those files hold.
    /// </summary>
    public IReadOnlyList<string> NotRead { get; init; } = [];
}

/// <summary>
/// The catalog of a results root: an SQLite database at <c>{results}/.expt/catalog.db</c> (or <c>EXPT_CATALOG</c>)
/// indexing every run, job, param and metric so listings need not read every file. The files stay the truth:
/// a missing, corrupt, foreign or other-version catalog is rebuilt from them, and <see cref="Refresh"/> re-reads
/// exactly the runs whose files changed since they were indexed.
/// </summary>
public sealed partial class CatalogStore : IDisposable
{
    /// <summary>The environment variable that puts the catalog elsewhere (e.g. on local disk when the results are on NFS).</summary>
    public const string EnvironmentVariable = "EXPT_CATALOG";

    private const string RootKey = "root";

    // mmap: a listing reads pages straight from the OS page cache instead of copying each one through read() into a
    // fresh process's empty SQLite cache (the database file is ~1 KB per job).
    private const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000; PRAGMA mmap_size = 268435456;";
    private const string Memory = ":memory:";
    private bool _needsFullIndex;

    private CatalogStore(string root, string path, SqliteConnection connection, bool needsFullIndex, string? notWritten = null, string? warning = null)
    {
        Root = root;
        FilePath = path;
        Connection = connection;
        _needsFullIndex = needsFullIndex;
        NotWritten = notWritten;
        Warning = warning;
    }

    /// <summary>The results root the catalog describes (absolute).</summary>
    public string Root { get; }

    /// <summary>The database file, or <c>:memory:</c> when no file could be written (a read-only results root).</summary>
    public string FilePath { get; }

    /// <summary>Why the catalog is kept in memory rather than in its file (null when it is in its file).</summary>
    public string? NotWritten { get; }

    /// <summary>
    /// What the user should be told once: the catalog path holds a file that is not Expt's (another application's
    /// database, a text file, a device, a symbolic link), which was left alone. Null otherwise; a results root that is
    /// merely read-only is not worth a warning.
    /// </summary>
    public string? Warning { get; }

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
    /// Opens the catalog, brings it up to date and runs <paramref name="action"/> on it. A catalog found corrupt on
    /// the way is deleted and rebuilt once, transparently; one that cannot be written is indexed into memory instead.
    /// Opening and bringing up to date wait for any other command doing the same (<see cref="CatalogLock"/>); the
    /// action runs after the lock is let go.
    /// </summary>
    public static T Use<T>(string root, Func<CatalogStore, CatalogRefresh, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        string? notWritten = null;
        for (var attempt = 1; ; attempt++)
        {
            var gate = notWritten is null ? LockFor(root) : null;
            CatalogStore store;
            try
            {
                store = notWritten is null ? Open(root) : OpenInMemory(Path.GetFullPath(root), notWritten);
            }
            catch
            {
                gate?.Dispose();
                throw;
            }
            var refreshed = false;
            try
            {
                var refresh = store.Refresh();
                refreshed = true;
                gate?.Dispose();
                gate = null;
                return action(store, refresh);
            }
            // Once refreshed, only corruption found by the caller's query counts as damage: its own errors
            // (SQLITE_ERROR from a query) are the caller's to report, not a reason to rebuild and run it again.
            catch (SqliteException e) when (attempt == 1 && store.IsFile && (refreshed ? IsCorruption(e) : IsDamage(e)))
            {
                // Open accepted the file as Expt's, so it may go; under the lock, like every deletion.
                store.Dispose();
                using var again = gate is null ? LockFor(root) : null;
                if (!Delete(store.FilePath, out _)) notWritten = $"cannot write {store.FilePath}: {e.Message}";
            }
            catch (SqliteException e) when (store.IsFile && notWritten is null && !refreshed && (IsUnwritable(e) || attempt > 1))
            {
                notWritten = $"cannot write {store.FilePath}: {e.Message}";
            }
            finally
            {
                gate?.Dispose();
                store.Dispose();
            }
        }
    }

    /// <summary>
    /// Rebuilds the catalog of <paramref name="root"/> from the files, whatever state it was in. When the file cannot
    /// be replaced (not Expt's, or not writable), the runs are indexed into memory and
    /// <see cref="CatalogRefresh.NotWritten"/> says why. A second rebuild at the same time waits for this one
    /// (<see cref="CatalogLock"/>), then rebuilds again.
    /// </summary>
    public static CatalogRefresh Rebuild(string root)
    {
        root = Path.GetFullPath(root);
        var path = PathFor(root);
        using var gate = LockFor(root);
        string? cannotDelete = null;
        if (CatalogFile.Inspect(path, IsOwnFolder(root, path), out _) == CatalogFile.Verdict.Ours && !Delete(path, out var why))
        {
            cannotDelete = $"cannot replace {path}: {why}";
        }
        using var store = cannotDelete is null ? Open(root) : OpenInMemory(root, cannotDelete);
        return store.Refresh() with { NotWritten = store.NotWritten };
    }

    /// <summary>
    /// Brings the catalog up to date with the files: a look at each run's directory (and, for a run still being
    /// written, at manifest.json and its journal; see <see cref="RunStamp"/>); runs whose stamp changed are read again
    /// (in parallel), new runs are added, and runs whose files are gone are removed.
    /// </summary>
    public CatalogRefresh Refresh()
    {
        var clock = Stopwatch.StartNew();
        var known = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!_needsFullIndex)
        {
            using var command = Connection.CreateCommand();
            command.CommandText = "SELECT location, stamp FROM runs";
            using var reader = command.ExecuteReader();
            while (reader.Read()) known[reader.GetString(0)] = reader.GetString(1);
        }
        var onDisk = RunScan.Stamps(Root, known);
        var changed = new List<string>();
        var restamped = new List<(string Location, string Stamp)>();
        foreach (var (key, (path, stamp)) in onDisk)
        {
            if (!known.TryGetValue(key, out var before) || !RunStamp.SameFiles(before, stamp)) changed.Add(path);
            else if (before != stamp) restamped.Add((key, stamp));
        }
        var removed = known.Keys.Where(k => !onDisk.ContainsKey(k)).ToList();
        IReadOnlyList<string> problems = [];
        var notRead = new List<string>();
        var rebuilt = _needsFullIndex;
        if (changed.Count > 0 || removed.Count > 0 || restamped.Count > 0 || _needsFullIndex)
        {
            var found = new ConcurrentQueue<string>();
            using var writer = new CatalogWriter(Connection);
            foreach (var location in removed) writer.RemoveRun(location);
            foreach (var (location, stamp) in restamped)
            {
                if (writer.FindRun(location) is { } id) writer.UpdateStamp(id, stamp);
            }
            foreach (var run in CatalogIndexer.ReadStreaming(Root, changed, found))
            {
                writer.ReplaceRun(run);
                foreach (var job in run.Jobs ?? []) notRead.AddRange(job.NotRead);
            }
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
        return new CatalogRefresh(runCount, jobCount, changed.Count - problems.Count, removed.Count, rebuilt, clock.Elapsed, problems) { NotRead = notRead };
    }

    // Only a catalog path that is, or may become, Expt's gets a lock file beside it: nothing is written next to another
    // application's file (or in /dev, for EXPT_CATALOG=/dev/null).
    private static CatalogLock? LockFor(string root)
    {
        root = Path.GetFullPath(root);
        var path = PathFor(root);
        return CatalogFile.Inspect(path, IsOwnFolder(root, path), out _) == CatalogFile.Verdict.Foreign ? null : CatalogLock.Acquire(path);
    }

    private (int Runs, int Jobs) Counts()
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM jobs)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    private bool IsFile => FilePath != Memory;

    // SQLITE_CORRUPT and SQLITE_NOTADB, and SQLITE_ERROR, which is what a table of the wrong shape gives (a catalog
    // edited by hand, or written by a build whose schema differed under the same version): all are cured by a rebuild.
    private static bool IsDamage(SqliteException e) => e.SqliteErrorCode is 1 || IsCorruption(e);

    // SQLITE_CORRUPT, SQLITE_NOTADB.
    private static bool IsCorruption(SqliteException e) => e.SqliteErrorCode is 11 or 26;

    // SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the file is fine, there is just no writing it.
    private static bool IsUnwritable(SqliteException e) => e.SqliteErrorCode is 8 or 10 or 13 or 14;

    /// <inheritdoc />
    public void Dispose() => Connection.Dispose();
}
