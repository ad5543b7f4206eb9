using System.Globalization;
using System.Text.Json;
using Expt.Planning;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Execution;

/// <summary>
/// Runs a prepared plan: creates the run (or opens the one to resume, refusing when the spec changed),
/// settles what earlier runners left behind, hands the remaining jobs to the executor and closes the run.
/// </summary>
public sealed class RunEngine(IExecutor executor, IGitProvenance git, TimeProvider time)
{
    /// <summary>Runs the plan.</summary>
    public async Task<RunOutcome> RunAsync(Plan plan, RunRequest request, ExecutionOptions options, IRunObserver observer, RunStop stop)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(stop);
        var started = time.GetUtcNow();
        var impossible = executor.Validate(plan, options);
        if (impossible.Count > 0) return RunOutcome.Invalid(impossible, time);

        RunSession session;
        var resuming = request.Resume is not null;
        if (resuming)
        {
            var current = await git.DescribeAsync(plan.Definition.WorkingDirectory, stop.Token).ConfigureAwait(false);
            // The jobs this resume reruns run the working tree as it is now: without its diff that code is lost.
            var diff = current.Dirty ? await git.DiffAsync(plan.Definition.WorkingDirectory, stop.Token).ConfigureAwait(false) : null;
            var opened = Open(plan, request, current, diff, out var problems);
            if (opened is null) return RunOutcome.Invalid(problems, time);
            session = opened;
        }
        else
        {
            try
            {
                session = await RunSession.CreateAsync(plan, new RunStartInfo(request.ResultsRoot, request.RunId, request.CommandLine, executor.Name), git, time, stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (WriteFault.IsWriteFailure(e))
            {
                // Failures after the directory was claimed come with the run removed and said; earlier ones are said here.
                return RunOutcome.Invalid([new RunProblem(e.InnerException is null && WriteFault.IsDiskFull(e) ? WriteFault.From(null, e).Describe() : e.Message)], time);
            }
        }

        using (session)
        {
            var work = new List<JobWork>();
            var skipped = new List<string>();
            var finals = new Dictionary<string, JobStatus>(StringComparer.Ordinal);
            var unfinished = new List<JobWork>();
            var recordedIdentities = new List<string?>();
            foreach (var job in plan.Jobs)
            {
                var recorded = session.Status(job);
                var status = recorded ?? RunSession.NewStatus(job);
                // Selected now for the first time (an earlier selection left it out): recorded at once, as a new run
                // records its jobs, so that it reads as part of the run from now on and no longer as not selected.
                if (resuming && recorded is null) session.Record(job, status);
                if (!resuming)
                {
                    session.Record(job, status);
                    work.Add(new JobWork(job, status));
                }
                else if (status.State == JobState.Succeeded && (status.Identity is null || status.Identity == job.Identity))
                {
                    // status.json is the truth; the manifest may lag if the last runner was killed before its flush.
                    session.Manifest.Update(ManifestEntries.For(job, status));
                    skipped.Add(job.Id);
                    finals[job.Id] = status;
                }
                else
                {
                    unfinished.Add(new JobWork(job, status with { Identity = job.Identity }));
                    recordedIdentities.Add(status.Identity);
                }
            }
            if (unfinished.Count > 0)
            {
                // One call for all of them: a scheduler is asked once, not once per job.
                var reconciled = await executor.ReconcileAsync(session, unfinished, stop.Token).ConfigureAwait(false);
                for (var i = 0; i < unfinished.Count; i++)
                {
                    var r = reconciled[i];
                    // An attempt that ended well while no runner watched counts only if it ran what is planned now.
                    if (!r.IsAdopted && r.Status.State == JobState.Succeeded && recordedIdentities[i] == r.Job.Identity)
                    {
                        skipped.Add(r.Job.Id);
                        finals[r.Job.Id] = r.Status;
                        continue;
                    }
                    // Whatever it ended as before, it runs again now; dependants wait for the new outcome.
                    work.Add(r.IsAdopted ? r : r with { Status = r.Status with { State = JobState.Pending } });
                }
            }
            if (resuming)
            {
                session.Log.Write("RUN_RESUME", $"{work.Count} job(s) to finish, {skipped.Count} already succeeded", $"command: {request.CommandLine}");
                if (skipped.Count > 0)
                {
                    observer.JobsSkipped(skipped.Count);
                    observer.Message($"{skipped.Count} job(s) already succeeded; skipping them");
                }
            }

            CancelMarker.Clear(session.Directory);
            observer.RunOpened(session);
            var result = await executor.RunAsync(session, work, options, observer, stop).ConfigureAwait(false);
            foreach (var (id, status) in result.Statuses) finals[id] = status;
            if (result.Interrupted && !result.Detached && CancelMarker.IsSet(session.Directory)) CancelUnstarted(session, finals, observer);
            var fault = session.Fault;
            SaveWhatIsLeft(session);
            var ended = time.GetUtcNow();
            var counts = string.Join(", ", finals.Values.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.Name()}"));
            var faulted = fault is null ? "" : $" (no job started after: {fault.Describe()})";
            if (result.Detached)
            {
                // The jobs live on in the scheduler: the run is not over, so the manifest gets no end time.
                session.Log.Write("RUN_DETACHED", $"{session.Plan.Definition.Name} run {session.RunId}: the runner returned while jobs wait or run in the scheduler",
                    result: counts + (result.Interrupted ? $" (stopped following on {result.StopReason})" : "") + faulted);
                session.Manifest.Flush();
                SaveWhatIsLeft(session);
                fault = session.Fault;
                var healthy = fault is null && finals.Values.All(s => s.State is JobState.Succeeded or JobState.Queued or JobState.Running or JobState.Pending);
                return new RunOutcome(healthy ? 0 : 1, [], session.Directory, finals, skipped, result.Interrupted, result.StopReason, started, ended)
                {
                    Detached = true, Fault = fault, RecordsIncomplete = !session.IsSaved,
                };
            }
            session.Log.Write(result.Interrupted ? "RUN_INTERRUPTED" : "RUN_END", $"{session.Plan.Definition.Name} run {session.RunId}",
                result: counts + (result.Interrupted ? $" (stopped by {result.StopReason})" : "") + faulted);
            session.Manifest.Complete(ended);
            SaveWhatIsLeft(session);
            fault = session.Fault;
            var allSucceeded = fault is null && plan.Jobs.All(j => finals.TryGetValue(j.Id, out var s) && s.State == JobState.Succeeded);
            return new RunOutcome(allSucceeded ? 0 : 1, [], session.Directory, finals, skipped, result.Interrupted, result.StopReason, started, ended)
            {
                Fault = fault, RecordsIncomplete = !session.IsSaved,
            };
        }
    }

    /// <summary>
    /// After a failed write, once the runner's jobs have ended: the space the session kept back is now the room to write
    /// what could not be written (status files, run.log entries, the manifest).
    /// </summary>
    private static void SaveWhatIsLeft(RunSession session)
    {
        if (session.Fault is null || session.IsSaved) return;
        session.GiveBackReserve();
        session.RetryUnsaved();
        session.Log.Retry();
        session.Manifest.Flush();
    }

    /// <summary><c>expt cancel</c> stopped the run: the jobs that never started are cancelled too, not left pending.</summary>
    private void CancelUnstarted(RunSession session, Dictionary<string, JobStatus> finals, IRunObserver observer)
    {
        var now = time.GetUtcNow();
        var cancelled = 0;
        foreach (var job in session.Plan.Jobs)
        {
            if (!finals.TryGetValue(job.Id, out var status) || !CancelledBeforeStart.Applies(status)) continue;
            var next = CancelledBeforeStart.Cancel(status, now);
            session.Record(job, next);
            CancelledBeforeStart.LogJob(session.Log, job.Id, status.State);
            observer.JobUpdated(next);
            finals[job.Id] = next;
            cancelled++;
        }
        CancelledBeforeStart.LogRun(session.Log, cancelled);
    }

    private RunSession? Open(Plan plan, RunRequest request, GitInfo current, string? diff, out List<RunProblem> problems)
    {
        problems = [];
        var dir = ResultsRoot.Locate(request.ResultsRoot, request.Resume!, plan.Definition.Name, out var problem);
        if (dir is null)
        {
            problems.Add(new RunProblem($"--resume {request.Resume}: {problem}"));
            return null;
        }
        RunManifest? manifest;
        try
        {
            manifest = ManifestStore.Read(dir);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            problems.Add(new RunProblem($"--resume {request.Resume}: {RunFiles.ManifestPath(dir)} is not readable: {e.Message}"));
            return null;
        }
        if (manifest is null)
        {
            problems.Add(new RunProblem($"--resume {request.Resume}: {dir} has no {RunManifest.FileName}"));
            return null;
        }
        if (manifest.Experiment != plan.Definition.Name)
        {
            problems.Add(new RunProblem($"--resume {request.Resume}: the run belongs to experiment '{manifest.Experiment}', not '{plan.Definition.Name}'"));
            return null;
        }
        var differences = ResumeCheck.Compare(plan, manifest, dir, request.SelectionNarrowed);
        if (!differences.IsEmpty && !request.Force)
        {
            var total = differences.Changed.Count + differences.Added.Count + differences.Removed.Count;
            var details = differences.Lines.Take(20).ToList();
            if (total > 20) details.Add($"… and {total - 20} more");
            problems.Add(new RunProblem($"the spec now resolves to different jobs than run {manifest.RunId}; nothing was run. Use --force to resume anyway (changed jobs rerun), or start a new run.")
            {
                Details = details,
            });
            return null;
        }
        // Beside the run's git.diff, one file per resume: each rerun job's code stays recoverable.
        var diffFile = diff is null ? null : $"git.resume-{(manifest.Resumes + 1).ToString(CultureInfo.InvariantCulture)}.diff";
        var session = RunSession.Open(new RunResumeInfo(dir, manifest, request.CommandLine, current with { Diff = diffFile }), plan, time, out var lockProblem);
        if (session is null)
        {
            problems.Add(new RunProblem($"--resume {request.Resume}: {lockProblem}"));
            return null;
        }
        if (diffFile is not null && SaveDiff(session, diffFile, diff!) is { } unsaved)
        {
            session.Dispose();
            problems.Add(new RunProblem($"--resume {request.Resume}: {unsaved}"));
            return null;
        }
        if (!differences.IsEmpty)
        {
            // The run now runs this spec: spec.yaml says so, and the one it replaced is kept.
            var specFile = Path.Combine(dir, "spec.yaml");
            try
            {
                // Written like every other file of the run (a copy would write through a link left at its name).
                if (File.Exists(specFile)) Internal.AtomicFile.WriteAllBytes(Path.Combine(dir, ".expt", $"spec.before-resume-{manifest.Resumes + 1}.yaml"), File.ReadAllBytes(specFile));
                Internal.AtomicFile.WriteAllText(specFile, SpecWriter.ToYaml(plan.Definition));
            }
            catch (Exception e) when (WriteFault.IsWriteFailure(e))
            {
                session.Dispose();
                problems.Add(new RunProblem($"--resume {request.Resume}: {WriteFault.From(specFile, e).Describe()}; nothing was run"));
                return null;
            }
            session.Log.Write("RUN_FORCE", $"resuming although the spec changed ({differences.Changed.Count} changed, {differences.Added.Count} new, {differences.Removed.Count} no longer planned)");
        }
        return session;
    }

    /// <summary>Writes a resume's diff into the run (under its lock); null when saved, else why not.</summary>
    private static string? SaveDiff(RunSession session, string fileName, string diff)
    {
        var path = Path.Combine(session.Directory, fileName);
        try
        {
            Internal.AtomicFile.WriteAllText(path, diff);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot save the uncommitted changes to {path} ({e.Message}); nothing was run";
        }
    }
}
