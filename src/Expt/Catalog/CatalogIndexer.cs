using System.Collections.Concurrent;
using Expt.Metrics;
using Expt.Recording;
using Expt.Results;

namespace Expt.Catalog;

/// <summary>
/// Reads runs from their files into catalog entries, through <see cref="RunReader"/> and <see cref="MetricsReader"/>.
/// Jobs are read in parallel across all runs at once, so one huge sweep is as parallel as many small runs.
/// </summary>
public static class CatalogIndexer
{
    /// <summary>Reads the runs at <paramref name="locations"/> (absolute run directories or archive pointer files).</summary>
    /// <param name="root">The results root the locations are below.</param>
    /// <param name="locations">What to read.</param>
    /// <param name="problems">Runs that could not be read, with why (they are left out).</param>
    public static IReadOnlyList<CatalogRun> Read(string root, IReadOnlyList<string> locations, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(locations);
        // The stamp is taken before the files are read: a change made while reading leaves an older stamp behind,
        // so the next check reads the run again rather than trusting a half-old copy.
        var heads = new (string Location, string Stamp, (string Directory, RunManifest Manifest, ArchivePointer? Archive)? Head, string? Problem)[locations.Count];
        Parallel.For(0, locations.Count, i =>
        {
            var stamp = RunStamp.Of(locations[i]);
            var head = RunReader.ReadManifest(locations[i], out var problem);
            heads[i] = (locations[i], stamp, head, problem);
        });
        var work = new List<(int Run, int Ordinal, string Directory, string ResultsRoot, ManifestJob Entry)>();
        for (var r = 0; r < heads.Length; r++)
        {
            if (heads[r].Head is not { } h) continue;
            var resultsRoot = RunReader.ResultsRootOf(heads[r].Location);
            for (var j = 0; j < h.Manifest.Jobs.Count; j++) work.Add((r, j, h.Directory, resultsRoot, h.Manifest.Jobs[j]));
        }
        // A job no runner of its run selected is no job of the catalog (null here): its run counts it instead.
        var jobs = new CatalogJob?[work.Count];
        Parallel.For(0, work.Count, i => jobs[i] = ReadSelectedJob(work[i].Directory, work[i].Entry, work[i].Ordinal, work[i].ResultsRoot));

        var runs = new List<CatalogRun>(heads.Length);
        var found = new List<string>();
        var at = 0;
        foreach (var (location, stamp, head, problem) in heads)
        {
            if (head is not { } h)
            {
                found.Add(problem ?? $"{location}: unreadable");
                continue;
            }
            var runJobs = new List<CatalogJob>(h.Manifest.Jobs.Count);
            for (var i = at; i < at + h.Manifest.Jobs.Count; i++)
            {
                if (jobs[i] is { } job) runJobs.Add(job);
            }
            at += h.Manifest.Jobs.Count;
            runs.Add(ToRun(root, location, stamp, h, runJobs, h.Manifest.Jobs.Count - runJobs.Count));
        }
        problems = found;
        return runs;
    }

    /// <summary>
    /// Reads the runs at <paramref name="locations"/> a few at a time on a background thread while the caller consumes
    /// the ones already read (e.g. inserting them), so reading files and writing the catalog overlap and only a few
    /// runs are held in memory at once. Runs that cannot be read are added to <paramref name="problems"/>.
    /// </summary>
    public static IEnumerable<CatalogRun> ReadStreaming(string root, IReadOnlyList<string> locations, ConcurrentQueue<string> problems)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(problems);
        using var stop = new CancellationTokenSource();
        using var queue = new BlockingCollection<IReadOnlyList<CatalogRun>>(boundedCapacity: 2);
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var batch in locations.Chunk(4))
                {
                    var runs = Read(root, batch, out var found);
                    foreach (var problem in found) problems.Enqueue(problem);
                    queue.Add(runs, stop.Token);
                }
            }
            finally
            {
                queue.CompleteAdding();
            }
        });
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable())
            {
                foreach (var run in batch) yield return run;
            }
            producer.GetAwaiter().GetResult();
        }
        finally
        {
            // The consumer stopped early (it failed): let the producer end rather than wait for room forever.
            stop.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
            }
        }
    }

    /// <summary>
    /// A run's catalog entry from its manifest as <see cref="RunReader.ReadManifest"/> read it (and, when given, its jobs).
    /// <paramref name="notSelected"/> counts the jobs no runner selected; when not given, they are counted from the
    /// manifest and the job directories.
    /// </summary>
    public static CatalogRun ToRun(string root, string location, string stamp, (string Directory, RunManifest Manifest, ArchivePointer? Archive) head, IReadOnlyList<CatalogJob>? jobs, int? notSelected = null)
    {
        var (directory, manifest, archive) = head;
        ArgumentNullException.ThrowIfNull(manifest);
        var unselected = notSelected ?? manifest.Jobs.Count(j => JobSelection.IsUnselected(directory, j));
        return new CatalogRun(
            LocationKey(root, location),
            stamp,
            manifest.Experiment,
            manifest.RunId,
            directory,
            manifest.Git.Commit,
            manifest.Git.Dirty,
            manifest.Git.Branch,
            manifest.Host,
            manifest.Question,
            manifest.Executor,
            manifest.Created,
            manifest.Ended,
            manifest.Updated,
            archive?.ArchivedTo,
            jobs)
        { NotSelected = unselected, Notes = RunNotes.Text(manifest.SpecNotes, manifest.Notes) };
    }

    /// <summary>Reads one job: status.json, config.json and its metrics files (also those <c>collect:</c> moved).</summary>
    public static CatalogJob ReadJob(string runDirectory, ManifestJob entry, int ordinal, string? resultsRoot = null) =>
        FromRecord(RunReader.ReadJob(runDirectory, entry, resultsRoot), ordinal);

    /// <summary>Like <see cref="ReadJob"/>, but null for a job no runner of the run selected (<see cref="JobSelection"/>).</summary>
    private static CatalogJob? ReadSelectedJob(string runDirectory, ManifestJob entry, int ordinal, string resultsRoot)
    {
        var record = RunReader.ReadJob(runDirectory, entry, resultsRoot);
        return JobSelection.IsUnselected(entry, record.Status is not null) ? null : FromRecord(record, ordinal);
    }

    private static CatalogJob FromRecord(JobRecord record, int ordinal)
    {
        var entry = record.Entry;
        var metrics = record.ReadMetrics();
        return FromStatus(entry, record.Status, ordinal, record.Params.Select(kv => CatalogValue.FromParam(kv.Key, kv.Value)), metrics)
            with { NotRead = record.FilesNotRead(metrics).ToList() };
    }

    /// <summary>A job's catalog entry from what is known of it.</summary>
    public static CatalogJob FromStatus(ManifestJob entry, JobStatus? status, int ordinal, IEnumerable<CatalogValue?> parameters, JobMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(metrics);
        var values = new List<CatalogValue>();
        foreach (var p in parameters)
        {
            if (p is not null) values.Add(p);
        }
        foreach (var (name, value) in metrics.Scalars) values.Add(CatalogValue.FromMetric(name, value));
        return new CatalogJob(
            entry.Id,
            ordinal,
            status?.Variant ?? entry.Variant,
            status?.Kind ?? entry.Kind,
            status?.Stage ?? entry.Stage,
            (status?.State ?? entry.State).Name(),
            status?.Attempts.Count ?? entry.Attempts,
            status?.ExitCode ?? entry.ExitCode,
            status?.StartedAt ?? entry.Started,
            status?.EndedAt ?? entry.Ended,
            status?.Accounting?.WallSeconds ?? status?.DurationSeconds,
            entry.Dir,
            values)
        {
            CpuSeconds = status?.Accounting?.CpuSeconds,
            GpuSeconds = status?.Accounting?.GpuSeconds,
            PeakRssMb = status?.Accounting?.PeakRssMb,
            OutputBytes = status?.OutputBytes,
        };
    }

    /// <summary>A location relative to the results root with '/' separators (the catalog survives a moved root).</summary>
    public static string LocationKey(string root, string location) =>
        Path.GetRelativePath(root, location).Replace(Path.DirectorySeparatorChar, '/');
}
