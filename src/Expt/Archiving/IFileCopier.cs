namespace Expt.Archiving;

/// <summary>What a copier read from the source while copying it.</summary>
/// <param name="Bytes">The number of bytes read from the source.</param>
/// <param name="Sha256">The SHA-256 of those bytes (lowercase hex).</param>
public sealed record CopiedFile(long Bytes, string Sha256);

/// <summary>
/// Copies one regular file. The archiver verifies every copy by re-reading the destination, so an implementation
/// that fails or writes wrong bytes (as tests simulate) never costs the original.
/// </summary>
public interface IFileCopier
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> (which does not exist yet) and reports the
    /// size and checksum of what it read from the source. Throws <see cref="IOException"/> on failure.
    /// </summary>
    CopiedFile Copy(string source, string destination, CancellationToken cancellationToken);
}
