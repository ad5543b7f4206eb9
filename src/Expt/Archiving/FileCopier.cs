using System.Security.Cryptography;

namespace Expt.Archiving;

/// <summary>Copies a file in one pass, hashing the bytes as they are read, and keeps its modification time and mode.</summary>
public sealed class FileCopier : IFileCopier
{
    private const int BufferSize = 1 << 20;

    /// <summary>The one instance (it has no state).</summary>
    public static readonly FileCopier Instance = new();

    /// <inheritdoc />
    public CopiedFile Copy(string source, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan))
        using (var output = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize))
        {
            var buffer = new byte[BufferSize];
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                hash.AppendData(buffer, 0, read);
                output.Write(buffer, 0, read);
                total += read;
            }
            // The original is deleted once this copy is verified: the copy must be on disk, not in a cache.
            output.Flush(flushToDisk: true);
        }
        File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(source));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(destination, File.GetUnixFileMode(source));
        return new CopiedFile(total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>The SHA-256 of a file's bytes (lowercase hex).</summary>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
