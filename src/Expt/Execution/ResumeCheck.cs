using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Planning;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Execution;

/// <summary>How the plan differs from the run being resumed.</summary>
/// <param name="Changed">Jobs whose identity differs, with what changed in words.</param>
/// <param name="Added">Jobs the plan has and the run does not.</param>
/// <param name="Removed">Jobs the run has and the plan does not (only reported when no selection narrows the plan).</param>
public sealed record ResumeDifferences(IReadOnlyList<string> Changed, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    /// <summary>The ids of the changed jobs (those whose identity differs).</summary>
    public IReadOnlySet<string> ChangedIds { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>True when the spec still resolves to the same jobs.</summary>
    public bool IsEmpty => Changed.Count == 0 && Added.Count == 0 && Removed.Count == 0;

    /// <summary>Every difference as lines.</summary>
    public IEnumerable<string> Lines =>
        Changed.Select(c => "changed: " + c).Concat(Added.Select(a => "new job: " + a)).Concat(Removed.Select(r => "no longer planned: " + r));
}

/// <summary>Compares a plan with the run it is asked to resume, using the same job identities.</summary>
public static class ResumeCheck
{
    /// <summary>Computes the differences.</summary>
    public static ResumeDifferences Compare(Plan plan, RunManifest manifest, string runDirectory, bool selectionNarrowed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(manifest);
        var recorded = manifest.Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        var changed = new List<string>();
        var changedIds = new HashSet<string>(StringComparer.Ordinal);
        var added = new List<string>();
        foreach (var job in plan.AllJobs)
        {
            if (!recorded.TryGetValue(job.Id, out var entry))
            {
                added.Add(job.Id);
                continue;
            }
            if (entry.Identity == job.Identity) continue;
            changed.Add($"{job.Id}: {Describe(job, RunFiles.JobDirectory(runDirectory, entry.Dir))}");
            changedIds.Add(job.Id);
        }
        var planned = plan.AllJobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        // Jobs an earlier forced resume retired were accepted as no longer planned then.
        var removed = manifest.Jobs.Where(j => !planned.Contains(j.Id) && j.Retired != true).Select(j => j.Id).ToList();
        _ = selectionNarrowed;
        return new ResumeDifferences(changed, added, removed) { ChangedIds = changedIds };
    }

    private static string Describe(PlannedJob job, string jobDir)
    {
        var old = JsonFiles.TryRead<JsonObject>(RunFiles.ConfigPath(jobDir));
        if (old is null) return "its command or configuration changed";
        var diffs = new List<string>();
        foreach (var (key, value) in job.Config)
        {
            var before = old.TryGetPropertyValue(key, out var b) ? b : null;
            if (!old.ContainsKey(key)) diffs.Add($"{key} added = {ParamValues.ToDisplay(value)}");
            else if (!SameValue(before, value)) diffs.Add($"{key} {ParamValues.ToDisplay(before)} -> {ParamValues.ToDisplay(value)}");
        }
        foreach (var (key, _) in old.Where(kv => kv.Key != "output_dir" && job.Config.All(c => c.Key != kv.Key)))
        {
            diffs.Add($"{key} removed");
        }
        return diffs.Count > 0 ? string.Join(", ", diffs) : "its command, args mode or kind changed";
    }

    private static bool SameValue(JsonNode? a, JsonNode? b) =>
        ParamValues.ToCompactJson(a) == ParamValues.ToCompactJson(b)
        || (a is JsonValue va && b is JsonValue vb && va.TryGetValue<double>(out var da) && vb.TryGetValue<double>(out var db) && da.Equals(db));
}
