using Microsoft.Data.Sqlite;

namespace Expt.Catalog;

/// <summary>Opening, creating and deleting the catalog's file.</summary>
public sealed partial class CatalogStore
{
    /// <summary>
    /// Opens the catalog of <paramref name="root"/>, creating it when missing and starting it afresh when it is
    /// unreadable, of another schema version, or of another results root — but only when the file is Expt's (see
    /// <see cref="CatalogFile"/>): anything else at the path is left alone, and the catalog is kept in memory, with a
    /// <see cref="Warning"/>. Call <see cref="Refresh"/> before reading.
    /// </summary>
    public static CatalogStore Open(string root)
    {
        root = Path.GetFullPath(root);
        var path = PathFor(root);
        for (var attempt = 1; ; attempt++)
        {
            var verdict = CatalogFile.Inspect(path, IsOwnFolder(root, path), out var what);
            if (verdict == CatalogFile.Verdict.Foreign)
            {
                var warning = $"{Describe(root, path)} {what}; it is left as it is, and the catalog is kept in memory for this command";
                return OpenInMemory(root, $"{path} {what}", warning);
            }
            try
            {
                return OpenFile(root, path, verdict);
            }
            catch (SqliteException e) when (attempt == 1 && verdict == CatalogFile.Verdict.Ours)
            {
                // Ours and unreadable (corrupt, truncated): start it afresh, once.
                if (!Delete(path, out _)) return OpenInMemory(root, $"cannot write {path}: {e.Message}");
            }
            catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
            {
                // Nowhere to keep it (a read-only results root, '.expt' a file): index into memory for this one command.
                return OpenInMemory(root, $"cannot write {path}: {e.Message}");
            }
        }
    }

    /// <summary>
    /// Opens the catalog of <paramref name="root"/> only when its file exists already (null otherwise): a runner keeps
    /// an existing catalog current but never creates one, since the next listing builds it whole anyway.
    /// </summary>
    public static CatalogStore? OpenExisting(string root)
    {
        root = Path.GetFullPath(root);
        return CatalogFile.Inspect(PathFor(root), IsOwnFolder(root, PathFor(root)), out _) == CatalogFile.Verdict.Missing ? null : Open(root);
    }

    // {results}/.expt/catalog.db is in Expt's own folder, where a file can only be a catalog; EXPT_CATALOG can be anything.
    private static bool IsOwnFolder(string root, string path) => path == Path.Combine(root, ".expt", "catalog.db");

    private static string Describe(string root, string path) =>
        IsOwnFolder(root, path) ? path : $"{EnvironmentVariable}={path}";

    private static CatalogStore OpenFile(string root, string path, CatalogFile.Verdict verdict)
    {
        if (verdict == CatalogFile.Verdict.Missing) return Create(root, path);
        var connection = Connect(FileConnectionString(path));
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
        // Another version, another root, or a build that never finished: start from an empty file (it is Expt's).
        connection.Dispose();
        if (!Delete(path, out var why)) throw new IOException(why);
        return Create(root, path);
    }

    private static string FileConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString();

    private static CatalogStore Create(string root, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = Connect(FileConnectionString(path));
        try
        {
            // The application id first, so the header names the file Expt's from its first write on.
            Execute(connection, $"PRAGMA application_id = {CatalogFile.ApplicationId};" + Pragmas);
            CatalogSchema.CreateTables(connection, null);
            return new CatalogStore(root, path, connection, needsFullIndex: true);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static CatalogStore OpenInMemory(string root, string notWritten, string? warning = null)
    {
        var connection = Connect("Data Source=:memory:");
        try
        {
            CatalogSchema.CreateTables(connection, null);
            return new CatalogStore(root, Memory, connection, needsFullIndex: true, notWritten, warning);
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

    /// <summary>
    /// Deletes a catalog file (one <see cref="CatalogFile"/> found Expt's) with its WAL, shared-memory and journal
    /// files; false, with the reason, when the file is still there afterwards.
    /// </summary>
    private static bool Delete(string path, out string? why)
    {
        why = null;
        if (path == Memory) return true;
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (file == path) why = e.Message;
            }
        }
        return why is null;
    }
}
