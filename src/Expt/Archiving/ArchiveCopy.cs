using System.Globalization;

namespace Expt.Archiving;

/// <summary>
/// The archiver's copy: every kept entry into a dot-named temporary directory beside the destination, each file
/// verified by re-reading it, then one rename into place. Also tells how an existing destination differs from a plan.
/// </summary>
internal sealed class ArchiveCopy(IFileCopier copier)
{
    /// <summary>The run lock file (held by the archiver itself while it copies, so it cannot be read).</summary>
    private const string LockFile = ".expt/run.lock";

    /// <summary>Who held the lock last: rewritten when the archiver takes the lock.</summary>
    private const string LockInfoFile = ".expt/run.lock.info";

    /// <summary>Copies the kept entries into a temporary directory, verifies them and renames it; null on success.</summary>
    public string? CopyAndVerify(ArchivePlan plan, string destination, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(destination)!;
        var runId = Path.GetFileName(destination);
        Directory.CreateDirectory(parent);
        RemoveStalePartials(parent, runId);
        // A dot-named temporary directory is never taken for an archive or a run, even if this process dies mid-copy.
        var temp = Path.Combine(parent, $".{runId}.partial-{Guid.NewGuid():N}"[..Math.Min(runId.Length + 18, 250)]);
        string? error;
        try
        {
            Directory.CreateDirectory(temp);
            error = Copy(plan, temp, cancellationToken, out var copied) ?? Verify(plan, temp, copied);
            if (error is null) Directory.Move(temp, destination);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"archiving to {destination} failed: {e.Message}";
        }
        catch
        {
            TryDeleteDirectory(temp);
            throw;
        }
        if (error is not null) TryDeleteDirectory(temp);
        return error;
    }

    private string? Copy(ArchivePlan plan, string temp, CancellationToken cancellationToken, out Dictionary<string, CopiedFile> copied)
    {
        copied = new Dictionary<string, CopiedFile>(StringComparer.Ordinal);
        foreach (var entry in plan.Entries.Where(e => e.Kept))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Combine(temp, entry.RelativePath);
            try
            {
                switch (entry.Kind)
                {
                    case ArchiveEntryKind.Directory:
                        Directory.CreateDirectory(target);
                        break;
                    case ArchiveEntryKind.Symlink:
                        File.CreateSymbolicLink(target, entry.LinkTarget!);
                        break;
                    case ArchiveEntryKind.File when entry.RelativePath == LockFile:
                        // The lock file is empty, and held by this archiver: an empty file is its exact copy.
                        File.WriteAllBytes(target, []);
                        break;
                    case ArchiveEntryKind.File:
                        copied[entry.RelativePath] = copier.Copy(entry.SourceIn(plan.RunDirectory), target, cancellationToken);
                        break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return $"copying {entry.RelativePath} failed: {e.Message}";
            }
        }
        return null;
    }

    /// <summary>Re-reads every copied file from the destination: it must have the size and checksum the source had.</summary>
    private static string? Verify(ArchivePlan plan, string temp, Dictionary<string, CopiedFile> copied)
    {
        foreach (var entry in plan.KeptFiles)
        {
            var target = Path.Combine(temp, entry.RelativePath);
            if (entry.Kind == ArchiveEntryKind.Symlink)
            {
                if (new FileInfo(target).LinkTarget != entry.LinkTarget) return $"verification failed for {entry.RelativePath}: the copied link does not point to {entry.LinkTarget}";
                continue;
            }
            if (!copied.TryGetValue(entry.RelativePath, out var source)) continue;
            var info = new FileInfo(target);
            if (!info.Exists) return $"verification failed for {entry.RelativePath}: the copy is missing";
            if (source.Bytes != entry.Size) return $"verification failed for {entry.RelativePath}: it changed while being archived ({entry.Size.ToString(CultureInfo.InvariantCulture)} bytes, then {source.Bytes.ToString(CultureInfo.InvariantCulture)}); is something still writing to the run?";
            if (info.Length != source.Bytes) return $"verification failed for {entry.RelativePath}: the copy has {info.Length.ToString(CultureInfo.InvariantCulture)} bytes, the original {source.Bytes.ToString(CultureInfo.InvariantCulture)}";
            if (FileCopier.Sha256Of(target) != source.Sha256) return $"verification failed for {entry.RelativePath}: the copy's SHA-256 differs from the original's";
        }
        return null;
    }

    /// <summary>How an existing destination differs from what the archive would hold; null when identical.</summary>
    public static string? Difference(ArchivePlan plan, string destination)
    {
        ArchivePlan existing;
        try
        {
            existing = ArchivePlanner.Plan(destination, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"it cannot be read: {e.Message}";
        }
        // The lock files say who held the run last (this archiver, now): they are not part of what the run is.
        var want = plan.KeptFiles.Where(e => e.RelativePath is not (LockFile or LockInfoFile)).ToDictionary(e => e.RelativePath, StringComparer.Ordinal);
        var have = existing.KeptFiles.Where(e => e.RelativePath is not (LockFile or LockInfoFile)).ToDictionary(e => e.RelativePath, StringComparer.Ordinal);
        if (want.Keys.FirstOrDefault(k => !have.ContainsKey(k)) is { } missing) return $"{missing} is missing";
        if (have.Keys.FirstOrDefault(k => !want.ContainsKey(k)) is { } extra) return $"{extra} is not in the run";
        foreach (var (path, source) in want)
        {
            var copy = have[path];
            if (copy.Kind != source.Kind || copy.Size != source.Size || copy.LinkTarget != source.LinkTarget) return $"{path} differs";
            if (source.Kind != ArchiveEntryKind.File) continue;
            if (FileCopier.Sha256Of(source.SourceIn(plan.RunDirectory)) != FileCopier.Sha256Of(Path.Combine(destination, path))) return $"{path} differs";
        }
        return null;
    }

    private static void RemoveStalePartials(string parent, string runId)
    {
        // Left by an archive that died mid-copy; never valid archives.
        foreach (var dir in Directory.EnumerateDirectories(parent, $".{runId}.partial-*")) TryDeleteDirectory(dir);
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a dot-named partial directory is never taken for an archive, and the next archive removes it.
        }
    }
}
