using System.Text.Json.Nodes;
using Expt.Recording;
using Expt.Results;
using Expt.Specs;

namespace Expt.Reporting.Pooling;

/// <summary>One run of a pooled report.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Directory">Where its files are.</param>
/// <param name="Commit">Its commit (full hash, or <c>nogit</c>).</param>
/// <param name="Dirty">Whether its working tree had uncommitted changes.</param>
/// <param name="Created">When it was created.</param>
public sealed record PooledRun(string RunId, string Directory, string Commit, bool Dirty, DateTimeOffset Created);

/// <summary>The same config (same params, seed included, same commit) that gave different results in different runs.</summary>
/// <param name="Config">The job id (variant, stage and cell), the same in each run.</param>
/// <param name="Runs">The runs, in pooling order.</param>
/// <param name="Metric">The metric that differs.</param>
/// <param name="Values">Its value in each of those runs.</param>
public sealed record NondeterministicResult(string Config, IReadOnlyList<string> Runs, string Metric, IReadOnlyList<double> Values);

/// <summary>
/// Finds identical configs across pooled runs. Identical means the same job id, the same config.json and the same
/// commit with a clean working tree (uncommitted changes may differ between runs, and outside git nothing says the
/// code was the same). Their numeric metrics must then be equal, bit for bit: a difference is nondeterminism.
/// </summary>
internal static class Nondeterminism
{
    /// <summary>
    /// The nondeterministic results, and the values that repeat an earlier run's identical config with an equal result
    /// (as <see cref="RepeatKey"/>s): counted once, not as replicates, since a rerun of deterministic code adds no information.
    /// </summary>
    public static (List<NondeterministicResult> Found, HashSet<string> Repeats) Find(IReadOnlyList<RunRecord> runs, IReadOnlyList<StudyJob> jobs)
    {
        var found = new List<NondeterministicResult>();
        var repeats = new HashSet<string>(StringComparer.Ordinal);
        if (runs.Count < 2) return (found, repeats);
        var comparable = jobs.Where(j => j.Job.State == JobState.Succeeded && j.Metrics is not null
            && runs[j.Run].Manifest.Git is { Dirty: false } git && git.Commit != "nogit");
        foreach (var same in comparable.GroupBy(j => (j.Job.Id, runs[j.Run].Manifest.Git.Commit, Config(j.Job.Params))).Where(g => g.Select(j => j.Run).Distinct().Count() > 1))
        {
            var list = same.OrderBy(j => j.Run).ToList();
            var names = list.SelectMany(j => j.Metrics!.Where(m => m.Value.AsNumber is not null).Select(m => m.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var having = list.Where(j => j.Metrics!.TryGetValue(name, out var v) && v.AsNumber is not null).ToList();
                var values = having.Select(j => j.Metrics![name].AsNumber!.Value).ToList();
                // NaN is not equal to itself, yet two NaNs are the same result.
                if (values.All(v => v.Equals(values[0])))
                {
                    foreach (var j in having.Skip(1)) repeats.Add(RepeatKey(j.Run, j.Job.Id, name));
                    continue;
                }
                found.Add(new NondeterministicResult(list[0].Job.Id, having.Select(j => runs[j.Run].RunId).ToList(), name, values));
            }
        }
        return (found, repeats);
    }

    /// <summary>The key of one metric value of a job of the <paramref name="run"/>th run.</summary>
    public static string RepeatKey(int run, string job, string metric) => $"{StudyGrouping.Key(run, job)}\u0001{metric}";

    private static string Config(IReadOnlyDictionary<string, JsonNode?> values) =>
        string.Join("\u0001", values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + ParamValues.ToCompactJson(kv.Value)));
}
