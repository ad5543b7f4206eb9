using System.Text.Json;
using Expt.Recording;

namespace Expt.Execution.Backends;

/// <summary>The state of every job of a run, as <c>expt status</c> shows it.</summary>
/// <param name="Statuses">Every selected job's status, in plan order.</param>
/// <param name="Problem">Why the states could not be (fully) brought up to date, when so.</param>
public sealed record RunStates(IReadOnlyList<JobStatus> Statuses, string? Problem)
{
    /// <summary>How many jobs of the spec no runner of the run selected: not among <see cref="Statuses"/> (see <see cref="JobSelection"/>).</summary>
    public int NotSelected { get; init; }

    /// <summary>Jobs recorded as running that no runner works on any more, with what they really are.</summary>
    public IReadOnlyDictionary<string, string> Orphans { get; init; } = new Dictionary<string, string>();

    /// <summary>Each job's directory relative to the run, as the manifest read for these states says.</summary>
    internal IReadOnlyDictionary<string, string> JobDirectories { get; init; } = new Dictionary<string, string>();

    /// <summary>Every job's status as its files say, asking no one; <paramref name="why"/> is kept as the problem.</summary>
    public static RunStates Read(string runDirectory, string? why)
    {
        RunManifest? manifest;
        try
        {
            manifest = ManifestStore.Read(runDirectory);
        }
        catch (JsonException e)
        {
            return new RunStates([], e.Message);
        }
        if (manifest is null) return new RunStates([], why ?? $"{runDirectory} has no {RunManifest.FileName}");
        var selected = manifest.Jobs.Where(j => !JobSelection.IsUnselected(runDirectory, j)).ToList();
        var statuses = selected.Select(j => RunFiles.ReadStatus(RunFiles.JobDirectory(runDirectory, j.Dir)) ?? ManifestEntries.PendingStatus(j)).ToList();
        return new RunStates(statuses, why)
        {
            NotSelected = manifest.Jobs.Count - selected.Count,
            JobDirectories = manifest.Jobs.ToDictionary(j => j.Id, j => j.Dir, StringComparer.Ordinal),
        };
    }
}
