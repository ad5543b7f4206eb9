using System.Globalization;
using System.Text.RegularExpressions;
using Expt.Recording;
using Expt.Slurm.Client;

namespace Expt.Slurm.Tracking;

/// <summary>
/// Finds arrays that SLURM accepted but the run never recorded (the runner died between sbatch's answer and
/// writing the job ids) and records their tasks as the attempts they are, so a resume follows them instead of
/// submitting the same jobs a second time. One <c>squeue</c> call: the run's array scripts are recognised by
/// their path, and each array's index file says which job and attempt every task runs.
/// </summary>
internal sealed partial class UnrecordedSubmissions(RunStore run, ISlurmClient client, TimeProvider time)
{
    /// <summary>Records the unrecorded tasks of jobs in <paramref name="scope"/>; returns how many were recovered.</summary>
    public async Task<int> RecoverAsync(IReadOnlySet<string> scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var folder = SlurmPaths.Folder(run.Directory);
        if (scope.Count == 0 || !Directory.Exists(folder) || !Directory.EnumerateFiles(folder, "array-*.tsv").Any()) return 0;
        var scripts = await client.ScriptsAsync(folder, cancellationToken).ConfigureAwait(false);
        if (scripts is null || scripts.Count == 0) return 0;

        var byDirectory = run.Jobs.Where(j => scope.Contains(j.Id)).ToDictionary(j => Path.TrimEndingDirectorySeparator(run.JobDirectory(j)), StringComparer.Ordinal);
        var recovered = 0;
        foreach (var (arrayId, script) in scripts.OrderBy(s => long.Parse(s.Key, CultureInfo.InvariantCulture)))
        {
            if (ArrayNumber().Match(Path.GetFileName(script)) is not { Success: true } m) continue;
            var number = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var tasks = new List<string>();
            foreach (var (index, attempt, dir) in ReadIndex(SlurmPaths.IndexFile(run.Directory, number)))
            {
                if (!byDirectory.TryGetValue(Path.TrimEndingDirectorySeparator(dir), out var job)) continue;
                var status = run.Status(job);
                // Known already, or overtaken by a later submission that was recorded (arrays are numbered in order).
                if (status.Attempts.Select(SlurmIds.Of).Any(x => x is not null && (x.ArrayJobId == arrayId || x.ArrayNumber > number))) continue;
                var ids = new SlurmIds(arrayId, index, number, attempt);
                var record = new AttemptRecord { Attempt = attempt, State = JobState.Queued, Executor = ids.ToDictionary(time.GetUtcNow()), Stdout = "stdout.log", Stderr = "stderr.log" };
                // A recorded attempt with the same number never started (the submitter replaced it); this task is that attempt.
                var earlier = status.Attempts.Where(a => a.Attempt < attempt).ToList();
                run.Record(job, status with { State = JobState.Queued, Reason = null, StartedAt = null, EndedAt = null, ExitCode = null, DurationSeconds = null, OutputBytes = null, Attempts = [.. earlier, record] });
                tasks.Add(job.Id);
            }
            if (tasks.Count == 0) continue;
            recovered += tasks.Count;
            run.Log.Write("SLURM_RECOVERED", $"array {number.ToString(CultureInfo.InvariantCulture)} is in SLURM as job {arrayId} but its submission was never recorded; following its {tasks.Count.ToString(CultureInfo.InvariantCulture)} job(s) instead of submitting them again",
                string.Join(", ", tasks.Take(20)) + (tasks.Count > 20 ? $", … and {(tasks.Count - 20).ToString(CultureInfo.InvariantCulture)} more" : ""));
        }
        return recovered;
    }

    private static IEnumerable<(int Index, int Attempt, string Directory)> ReadIndex(string path)
    {
        if (!File.Exists(path)) yield break;
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split('\t');
            if (f.Length == 3 && int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i) && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var a))
            {
                yield return (i, a, f[2]);
            }
        }
    }

    [GeneratedRegex(@"^array-(\d+)\.sbatch$")]
    private static partial Regex ArrayNumber();
}
