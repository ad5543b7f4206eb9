using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Recording;

namespace Expt.Results;

/// <summary>A run as its files describe it: the manifest, and every job's status and params.</summary>
/// <param name="Directory">Where the run's files are (the archive, for an archived run).</param>
/// <param name="Manifest">The manifest with its journal replayed.</param>
/// <param name="Jobs">Every job of the run, in manifest order: those no runner selected are in <see cref="Unselected"/> instead.</param>
/// <param name="Archive">The archive pointer, when the run was archived.</param>
public sealed record RunRecord(string Directory, RunManifest Manifest, IReadOnlyList<JobRecord> Jobs, ArchivePointer? Archive)
{
    /// <summary>The experiment.</summary>
    public string Experiment => Manifest.Experiment;

    /// <summary>The run id.</summary>
    public string RunId => Manifest.RunId;

    /// <summary>
    /// Jobs of the spec that no runner of this run selected (<c>--filter</c>, <c>--only</c>, <c>--skip</c>): not part of
    /// <see cref="Jobs"/>, so counts, exports and comparisons leave them out (see <see cref="JobSelection"/>).
    /// </summary>
    public IReadOnlyList<ManifestJob> Unselected { get; init; } = [];

    /// <summary>How many jobs are in each state.</summary>
    public IReadOnlyDictionary<JobState, int> StateCounts =>
        Jobs.GroupBy(j => j.State).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Whether every job reached a final state.</summary>
    public bool IsComplete => Jobs.All(j => j.State.IsFinished());
}

/// <summary>One job of a run.</summary>
/// <param name="Entry">Its manifest line.</param>
/// <param name="Status">Its status.json, when readable (the truth the manifest summarises).</param>
/// <param name="Params">Its config.json without <c>output_dir</c> (empty when the job never got one).</param>
/// <param name="Directory">Its absolute directory.</param>
public sealed record JobRecord(ManifestJob Entry, JobStatus? Status, IReadOnlyDictionary<string, JsonNode?> Params, string Directory)
{
    /// <summary>The job id.</summary>
    public string Id => Entry.Id;

    /// <summary>The state: status.json's, else the manifest's.</summary>
    public JobState State => Status?.State ?? Entry.State;

    /// <summary>Wall seconds over every attempt, when the job ran.</summary>
    public double? WallSeconds => Status?.Accounting?.WallSeconds ?? Status?.DurationSeconds;

    /// <summary>Files <c>collect:</c> moved out of the job directory, as full paths.</summary>
    public IReadOnlyList<string> CollectedFiles { get; init; } = [];

    /// <summary>The job's own files that were left unread (not regular files), each as <c>path: why</c>.</summary>
    public IReadOnlyList<string> NotRead { get; init; } = [];

    /// <summary>
    /// Every file of the job left unread as a whole: <see cref="NotRead"/>, then the metrics files of
    /// <paramref name="metrics"/> that were (<see cref="MetricsWarning.NotRead"/>). What a command shows as warnings.
    /// </summary>
    public IEnumerable<string> FilesNotRead(JobMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return NotRead.Concat(metrics.Warnings.Where(w => w.NotRead).Select(w => w.ToString()));
    }

    /// <summary>Reads the job's metrics files (metrics.json, metrics.jsonl, Inspect logs, also those moved by <c>collect:</c>).</summary>
    public JobMetrics ReadMetrics() => System.IO.Directory.Exists(Directory) ? MetricsReader.Read(Directory, CollectedFiles) : JobMetrics.Empty;
}
