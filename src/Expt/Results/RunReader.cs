using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Results;

/// <summary>Reads runs from their files, the one layout the runner writes (live runs and archived ones).</summary>
public static class RunReader
{
    /// <summary>
    /// Reads the run at <paramref name="runDirectory"/>, or the archived run whose pointer file is given.
    /// Null with a <paramref name="problem"/> when there is no readable manifest.
    /// </summary>
    public static RunRecord? Read(string runDirectory, out string? problem)
    {
        var head = ReadManifest(runDirectory, out problem);
        if (head is null) return null;
        var (dir, manifest, archive) = head.Value;
        var root = ResultsRootOf(runDirectory);
        var all = manifest.Jobs.Select(j => ReadJob(dir, j, root)).ToList();
        var jobs = all.Where(j => !JobSelection.IsUnselected(j.Entry, j.Status is not null)).ToList();
        var unselected = all.Where(j => JobSelection.IsUnselected(j.Entry, j.Status is not null)).Select(j => j.Entry).ToList();
        return new RunRecord(dir, manifest, jobs, archive) { Unselected = unselected };
    }

    /// <summary>
    /// Reads only the manifest of the run at <paramref name="runDirectory"/> (or of the archived run whose pointer file
    /// is given): the directory its files are in, the manifest with its journal replayed, and the archive pointer.
    /// Null with a <paramref name="problem"/> like <see cref="Read"/>. Lets a caller read the jobs itself, e.g. in parallel.
    /// </summary>
    public static (string Directory, RunManifest Manifest, ArchivePointer? Archive)? ReadManifest(string runDirectory, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        problem = null;
        ArchivePointer? archive = null;
        var dir = runDirectory;
        if (runDirectory.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal))
        {
            archive = ArchivePointer.TryRead(runDirectory);
            if (archive is null)
            {
                problem = $"{runDirectory}: not a readable archive pointer";
                return null;
            }
            dir = archive.ArchivedTo;
        }
        RunManifest? manifest;
        try
        {
            if (RegularFile.Problem(RunFiles.ManifestPath(dir)) is { } notRegular) throw new IOException(notRegular);
            manifest = ManifestStore.Read(dir);
        }
        catch (JsonException e)
        {
            problem = $"{RunFiles.ManifestPath(dir)}: {e.Message}";
            return null;
        }
        catch (IOException e)
        {
            problem = $"{RunFiles.ManifestPath(dir)}: {e.Message}";
            return null;
        }
        if (manifest is null)
        {
            problem = archive is null ? $"{dir} is not a run directory (no {RunManifest.FileName})" : $"the archive of {archive.Experiment}/{archive.RunId} is missing: {dir}";
            return null;
        }
        return (dir, manifest, archive);
    }

    /// <summary>Every run under a results root (of one experiment when given), archived ones included, oldest first.</summary>
    public static IEnumerable<string> Locations(string root, string? experiment = null) =>
        ResultsRoot.Runs(root, experiment).Concat(ArchivePointer.Files(root, experiment));

    /// <summary>
    /// Resolves a RUN argument like <see cref="ResultsRoot.Locate"/>, and also finds archived runs: it returns a run
    /// directory or an archive pointer file (both accepted by <see cref="Read"/>).
    /// </summary>
    public static string? Locate(string root, string reference, string? experiment, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var live = ResultsRoot.Locate(root, reference, experiment, out problem);
        if (live is not null && reference != "latest") return live;
        if (File.Exists(reference) && reference.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal)) return Path.GetFullPath(reference);
        if (reference == "latest") return NewestOf(live, root, experiment, ref problem);
        var parts = reference.Split('/', 2);
        if (parts.Length == 2 && File.Exists(Path.Combine(root, parts[0], parts[1] + ArchivePointer.Suffix)))
        {
            problem = null;
            return Path.Combine(root, parts[0], parts[1] + ArchivePointer.Suffix);
        }
        var archived = ArchivePointer.Files(root, experiment).Where(f => Path.GetFileName(f) == reference + ArchivePointer.Suffix).ToList();
        if (archived.Count == 1)
        {
            problem = null;
            return archived[0];
        }
        return null;
    }

    /// <summary>
    /// The results root a run directory (or an archived run's pointer file) is in: what <c>collect:</c> paths are
    /// relative to. An archived run's collected files stay in the flat folder where the run was (the archive keeps a copy).
    /// </summary>
    public static string ResultsRootOf(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var run = runDirectory.EndsWith(ArchivePointer.Suffix, StringComparison.Ordinal) ? runDirectory[..^ArchivePointer.Suffix.Length] : runDirectory;
        run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(run));
        return Path.GetDirectoryName(Path.GetDirectoryName(run)) ?? run;
    }

    /// <summary>The newest run by creation, the archived ones included (an archive keeps its manifest's creation time).</summary>
    private static string? NewestOf(string? live, string root, string? experiment, ref string? problem)
    {
        var newest = live;
        var newestCreated = live is null ? DateTimeOffset.MinValue : ResultsRoot.CreatedAt(live);
        foreach (var pointerFile in ArchivePointer.Files(root, experiment))
        {
            if (ArchivePointer.TryRead(pointerFile) is not { } pointer) continue;
            var created = ResultsRoot.CreatedAt(pointer.ArchivedTo);
            if (created > newestCreated)
            {
                (newest, newestCreated) = (pointerFile, created);
            }
        }
        if (newest is not null) problem = null;
        return newest;
    }


    /// <summary>
    /// Reads one job of the run in <paramref name="runDir"/>: its status.json and config.json. With the results root
    /// the run lives in, the files <c>collect:</c> moved out of the job are resolved too. Either file when it is not a
    /// regular file (a FIFO would block) is left unread, and said in <see cref="JobRecord.NotRead"/>.
    /// </summary>
    public static JobRecord ReadJob(string runDir, ManifestJob entry, string? resultsRoot = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var jobDir = RunFiles.JobDirectory(runDir, entry.Dir);
        var notRead = new List<string>();
        var statusPath = RunFiles.StatusPath(jobDir);
        var status = MayRead(statusPath, notRead) ? JsonFiles.TryRead<JobStatus>(statusPath) : null;
        var configPath = RunFiles.ConfigPath(jobDir);
        var config = MayRead(configPath, notRead) ? ReadParams(configPath) : Empty;
        var collected = resultsRoot is null ? [] : CollectedPaths(resultsRoot, status?.Collected ?? entry.Collected, runDir);
        return new JobRecord(entry, status, config, jobDir) { CollectedFiles = collected, NotRead = notRead };
    }

    private static bool MayRead(string path, List<string> notRead)
    {
        if (RegularFile.Problem(path) is not { } problem) return true;
        notRead.Add($"{path}: {problem}");
        return false;
    }

    /// <summary>
    /// Full paths of the files <c>collect:</c> moved (recorded relative to the results root). With the run's directory,
    /// a file no longer in the flat folder is taken from the copy an archive keeps in <c>.expt/collected/</c>.
    /// </summary>
    public static IReadOnlyList<string> CollectedPaths(string resultsRoot, IReadOnlyList<string>? collected, string? runDirectory = null) =>
        (collected ?? []).Select(c =>
        {
            var relative = c.Replace('/', Path.DirectorySeparatorChar);
            var flat = Path.Combine(resultsRoot, relative);
            if (runDirectory is null || File.Exists(flat)) return flat;
            var kept = Path.Combine(runDirectory, ".expt", "collected", relative);
            return File.Exists(kept) ? kept : flat;
        }).ToList();

    /// <summary>A config.json's values without <c>output_dir</c>; empty when missing or unreadable.</summary>
    public static IReadOnlyDictionary<string, JsonNode?> ReadParams(string configPath)
    {
        try
        {
            if (!File.Exists(configPath) || RegularFile.Problem(configPath) is not null) return Empty;
            if (JsonNode.Parse(File.ReadAllText(configPath)) is not JsonObject o) return Empty;
            return o.Where(kv => kv.Key != "output_dir").ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone(), StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return Empty;
        }
        catch (IOException)
        {
            return Empty;
        }
    }

    private static readonly IReadOnlyDictionary<string, JsonNode?> Empty = new Dictionary<string, JsonNode?>();
}
