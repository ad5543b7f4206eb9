using System.Globalization;
using System.Text;
using Expt.Internal;
using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Scripts;
using Expt.Slurm.Tracking;

namespace Expt.Slurm.Submission;

/// <summary>A job to submit.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Retry">True for a retry: the attempt number goes up even if the last attempt never started.</param>
/// <param name="BeginDelay">Seconds before it may start (retry backoff).</param>
internal sealed record SubmitRequest(string JobId, bool Retry = false, int? BeginDelay = null);

/// <summary>
/// Submits jobs whose files are prepared (<c>.expt/slurm-job.sh</c>, <c>command.sh</c>, config.json) as job
/// arrays: one sbatch call per array, arrays in dependency order, each array's script saved in the run's
/// <c>.expt/slurm/</c> and copied into every job's <c>.expt/</c>. A job id returned by sbatch is attributed only
/// to the tasks of that call; a failed sbatch is logged with its error and its jobs are <c>failed</c> (resume
/// resubmits them), while jobs waiting on them are <c>blocked</c> instead of being submitted against nothing.
/// </summary>
internal sealed class SlurmSubmitter(RunStore run, ISlurmClient client, SlurmRunInfo info, TimeProvider time)
{
    /// <summary>Submits <paramref name="requests"/> and records each job as <c>queued</c>, <c>blocked</c> or <c>failed</c>.</summary>
    public async Task<IReadOnlyList<StatusChange>> SubmitAsync(IReadOnlyList<SubmitRequest> requests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var changes = new List<StatusChange>();
        if (requests.Count == 0) return changes;
        var order = run.Jobs.Select((j, i) => (j.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var byId = requests.Where(r => order.ContainsKey(r.JobId)).GroupBy(r => r.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var batch = byId.Values.OrderBy(r => order[r.JobId]).ToList();
        var prepared = new Dictionary<string, (ManifestJob Job, JobStatus Before, List<AttemptRecord> Attempts, int Attempt)>(StringComparer.Ordinal);
        var dead = new HashSet<string>(StringComparer.Ordinal);
        var arrayJobs = new List<ArrayJob>();
        Directory.CreateDirectory(SlurmPaths.Logs(run.Directory));

        foreach (var request in batch)
        {
            var job = run.Find(request.JobId)!;
            var before = run.Status(job);
            var attempts = before.Attempts.ToList();
            // An attempt that never started (blocked, or cancelled while pending) is replaced, not counted.
            if (!request.Retry)
            {
                while (attempts.Count > 0 && attempts[^1].StartedAt is null && !AttemptMarkers.HasStarted(run.JobDirectory(job), attempts[^1].Attempt)) attempts.RemoveAt(attempts.Count - 1);
            }
            var attempt = (attempts.Count > 0 ? attempts[^1].Attempt : 0) + 1;
            prepared[job.Id] = (job, before, attempts, attempt);
            if (MissingFiles(job) is { } missing)
            {
                dead.Add(job.Id);
                Finish(changes, job, before, attempts, JobState.Failed, missing);
                continue;
            }
            if (DeadNeed(job, byId, dead, out var slurmNeeds, out var batchNeeds) is { } blocked)
            {
                dead.Add(job.Id);
                Finish(changes, job, before, attempts, JobState.Blocked, blocked);
                continue;
            }
            arrayJobs.Add(new ArrayJob(job.Id, job.Stage, batchNeeds, slurmNeeds, request.BeginDelay));
        }

        var arrays = ArrayPlanner.Plan(arrayJobs, info.MaxArraySize);
        var submitted = new Dictionary<int, string>();
        var failed = new HashSet<int>();
        var number = SlurmPaths.NextArrayNumber(run.Directory);
        foreach (var array in arrays)
        {
            if (array.PlannedUpstream.Any(failed.Contains))
            {
                // Its upstream array is not in SLURM: submitting would only earn an invalid dependency.
                failed.Add(array.Ordinal);
                foreach (var (_, jobId) in array.Tasks)
                {
                    var p = prepared[jobId];
                    var need = (p.Job.Needs ?? []).FirstOrDefault(dead.Contains) ?? "an upstream job";
                    dead.Add(jobId);
                    Finish(changes, p.Job, p.Before, p.Attempts, JobState.Blocked, $"needs {need}, which {StateWords(need)}");
                }
                continue;
            }
            var result = await SubmitArrayAsync(array, number++, prepared, submitted, changes, cancellationToken).ConfigureAwait(false);
            if (result.Success) submitted[array.Ordinal] = result.JobId!;
            else
            {
                failed.Add(array.Ordinal);
                foreach (var (_, jobId) in array.Tasks) dead.Add(jobId);
            }
        }
        return changes;
    }

    private async Task<SubmitResult> SubmitArrayAsync(PlannedArray array, int number, Dictionary<string, (ManifestJob Job, JobStatus Before, List<AttemptRecord> Attempts, int Attempt)> prepared,
        Dictionary<int, string> submitted, List<StatusChange> changes, CancellationToken cancellationToken)
    {
        var stage = info.Stages.GetValueOrDefault(array.Stage) ?? new SlurmStageInfo([], null, 0, []);
        var index = new StringBuilder();
        foreach (var (i, jobId) in array.Tasks)
        {
            var p = prepared[jobId];
            index.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(p.Attempt.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(run.JobDirectory(p.Job)).Append('\n');
        }
        var indexPath = SlurmPaths.IndexFile(run.Directory, number);
        AtomicFile.WriteAllText(indexPath, index.ToString());
        var dependency = Dependency(array, submitted);
        var content = new ArrayScriptContent(run.RunId, array.Stage, number, stage.Directives, ArrayIndices.Format(array.Tasks.Select(t => t.Index), stage.ArrayLimit), dependency, array.BeginDelay, indexPath);
        var script = ArrayScript.Render(content);
        var scriptPath = SlurmPaths.ArrayScript(run.Directory, number);
        AtomicFile.WriteAllText(scriptPath, script);
        foreach (var (_, jobId) in array.Tasks)
        {
            var p = prepared[jobId];
            AtomicFile.WriteAllText(SlurmPaths.JobSbatchCopy(run.JobDirectory(p.Job), p.Attempt), script);
        }

        var result = await client.SubmitAsync(scriptPath, cancellationToken).ConfigureAwait(false);
        var what = $"array {number.ToString(CultureInfo.InvariantCulture)} of stage {array.Stage}: {array.Tasks.Count.ToString(CultureInfo.InvariantCulture)} job(s)";
        var details = $"--array={content.Array}{(dependency is null ? "" : " --dependency=" + dependency)}{(array.BeginDelay is { } d ? $" --begin=now+{d.ToString(CultureInfo.InvariantCulture)}" : "")}; script {Path.GetRelativePath(run.Directory, scriptPath)}";
        if (!result.Success)
        {
            run.Log.Write("SLURM_SUBMIT_FAILED", what, details, result.Error);
            foreach (var (_, jobId) in array.Tasks)
            {
                var p = prepared[jobId];
                Finish(changes, p.Job, p.Before, p.Attempts, JobState.Failed, $"could not submit to SLURM: {result.Error}");
            }
            return result;
        }
        run.Log.Write("SLURM_SUBMIT", $"{what} as SLURM job {result.JobId}", details);
        var now = time.GetUtcNow();
        foreach (var (i, jobId) in array.Tasks)
        {
            var p = prepared[jobId];
            var ids = new SlurmIds(result.JobId!, i, number, p.Attempt);
            var record = new AttemptRecord { Attempt = p.Attempt, State = JobState.Queued, Executor = ids.ToDictionary(now), Stdout = "stdout.log", Stderr = "stderr.log" };
            var status = p.Before with
            {
                State = JobState.Queued,
                Reason = null,
                StartedAt = null,
                EndedAt = null,
                ExitCode = null,
                DurationSeconds = null,
                OutputBytes = null,
                Attempts = [.. p.Attempts, record],
            };
            run.Record(p.Job, status);
            changes.Add(new StatusChange(p.Job, p.Before, status));
        }
        return result;
    }

    private static string? Dependency(PlannedArray array, Dictionary<int, string> submitted)
    {
        string Id(ArrayRef a) => a.SlurmId ?? submitted[a.Ordinal!.Value];
        var parts = new List<string>();
        if (array.AfterCorr.Count > 0) parts.Add("aftercorr:" + string.Join(':', array.AfterCorr.Select(Id)));
        if (array.AfterOk.Count > 0) parts.Add("afterok:" + string.Join(':', array.AfterOk.Select(t => $"{Id(t.Array)}_{t.Index.ToString(CultureInfo.InvariantCulture)}")));
        return parts.Count == 0 ? null : string.Join(',', parts);
    }

    private string? MissingFiles(ManifestJob job)
    {
        var dir = run.JobDirectory(job);
        return File.Exists(SlurmPaths.JobWrapper(dir)) && File.Exists(SlurmPaths.Command(dir))
            ? null
            : "cannot submit: the job's wrapper files are missing (never prepared); run expt run SPEC --resume";
    }

    /// <summary>Why the job cannot wait for what it needs, or null with where its needs are.</summary>
    private string? DeadNeed(ManifestJob job, Dictionary<string, SubmitRequest> batch, HashSet<string> dead, out List<TaskRef> slurmNeeds, out List<string> batchNeeds)
    {
        slurmNeeds = [];
        batchNeeds = [];
        foreach (var need in job.Needs ?? [])
        {
            if (dead.Contains(need)) return $"needs {need}, which {StateWords(need)}";
            if (batch.ContainsKey(need))
            {
                batchNeeds.Add(need);
                continue;
            }
            var upstream = run.Find(need);
            var status = upstream is null ? null : run.Status(upstream);
            if (status?.State == JobState.Succeeded) continue;
            if (status?.State is JobState.Queued or JobState.Running && SlurmIds.Of(status.Attempts.LastOrDefault()) is { } ids)
            {
                slurmNeeds.Add(new TaskRef(ArrayRef.Existing(ids.ArrayJobId), ids.TaskIndex));
                continue;
            }
            return status is null or { State: JobState.Pending }
                ? $"needs {need}, which is not part of this submission and has no result"
                : $"needs {need}, which {(status.State == JobState.Blocked ? "is blocked" : "ended " + status.State.Name())}";
        }
        return null;
    }

    private string StateWords(string jobId)
    {
        var job = run.Find(jobId);
        var state = job is null ? JobState.Pending : run.Status(job).State;
        return state == JobState.Blocked ? "is blocked" : state.IsFinished() ? "ended " + state.Name() : "could not be submitted";
    }

    private void Finish(List<StatusChange> changes, ManifestJob job, JobStatus before, List<AttemptRecord> attempts, JobState state, string reason)
    {
        var status = before with { State = state, Reason = reason, EndedAt = time.GetUtcNow(), StartedAt = null, ExitCode = null, DurationSeconds = null, Attempts = attempts };
        run.Record(job, status);
        changes.Add(new StatusChange(job, before, status));
        run.Log.Write(state == JobState.Blocked ? "JOB_BLOCKED" : "JOB_END", job.Id, result: $"{state.Name()}: {reason}");
    }
}
