using System.Buffers.Binary;
using Expt.Internal;
using Microsoft.Data.Sqlite;

namespace Expt.Catalog;

/// <summary>
/// Decides whether the file at a catalog path is Expt's to replace. The catalog is rebuilt from the files whenever it
/// is corrupt or outdated, which means deleting it; <c>EXPT_CATALOG</c> can point anywhere, so only a file that is
/// recognisably a catalog (or empty) may go. Anything else is left alone and the catalog is kept in memory.
/// </summary>
internal static class CatalogFile
{
    /// <summary>
    /// The SQLite <c>PRAGMA application_id</c> of every catalog Expt creates: "EXPT" in ASCII. It sits in the database
    /// header (offset 68), so it identifies a catalog even when the rest of the file is damaged.
    /// </summary>
    public const int ApplicationId = 0x45585054;

    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>What is at a catalog path.</summary>
    public enum Verdict
    {
        /// <summary>Nothing yet: a catalog may be created there.</summary>
        Missing,

        /// <summary>A catalog (or an empty file, or any regular file in Expt's own folder): it may be replaced.</summary>
        Ours,

        /// <summary>Something else: never opened for writing, never deleted.</summary>
        Foreign,
    }

    /// <summary>
    /// Examines <paramref name="path"/>. <paramref name="ownFolder"/> says the path is the default
    /// <c>{results}/.expt/catalog.db</c>, where nothing but Expt writes: a regular file there is Expt's, however
    /// damaged. <paramref name="reason"/> says, for <see cref="Verdict.Foreign"/>, what the file is.
    /// </summary>
    public static Verdict Inspect(string path, bool ownFolder, out string? reason)
    {
        reason = null;
        switch (KindOf(path))
        {
            case FileKind.Missing:
                return Verdict.Missing;
            case FileKind.SymbolicLink:
                // Never followed: whatever it points at belongs to whoever made the link.
                reason = "is a symbolic link";
                return Verdict.Foreign;
            case FileKind.Directory:
                reason = "is a directory";
                return Verdict.Foreign;
            case FileKind.Other:
                reason = "is not a regular file (a device, FIFO or socket)";
                return Verdict.Foreign;
        }
        byte[] header;
        try
        {
            header = ReadHeader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = $"cannot be read ({e.Message})";
            return Verdict.Foreign;
        }
        if (header.Length == 0 || ownFolder) return Verdict.Ours;
        if (header.Length < 100 || !header.AsSpan(0, SqliteMagic.Length).SequenceEqual(SqliteMagic))
        {
            reason = "is not an Expt catalog (not an SQLite database)";
            return Verdict.Foreign;
        }
        var applicationId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(68, 4));
        if (applicationId == ApplicationId) return Verdict.Ours;
        // Catalogs written before Expt set its application_id have none, and are known by their tables.
        if (applicationId == 0 && HasCatalogTables(path)) return Verdict.Ours;
        reason = "is an SQLite database that is not an Expt catalog";
        return Verdict.Foreign;
    }

    private static FileKind KindOf(string path)
    {
        if (Native.KindOf(path) is { } kind) return kind;
        // Without statx (not Linux): .NET tells links and directories apart, not devices.
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return FileKind.SymbolicLink;
        if (Directory.Exists(path)) return FileKind.Directory;
        if (!info.Exists) return FileKind.Missing;
        return path.StartsWith("/dev/", StringComparison.Ordinal) ? FileKind.Other : FileKind.Regular;
    }

    private static byte[] ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new byte[100];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return buffer[..read];
    }

    private static bool HasCatalogTables(string path)
    {
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'runs', 'jobs')";
            if ((long)(command.ExecuteScalar() ?? 0L) != 3) return false;
            // The meta table Expt writes: a key and a value (the results root it describes under 'root').
            command.CommandText = "SELECT count(*) FROM meta WHERE key = 'root'";
            command.ExecuteScalar();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
