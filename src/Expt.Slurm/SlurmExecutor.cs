using System.Globalization;
using Expt.Execution;
using Expt.Internal;
using Expt.Planning;
using Expt.Recording;
using Expt.Slurm.Client;
using Expt.Slurm.Scripts;
using Expt.Slurm.Submission;
using Expt.Slurm.Tracking;

namespace Expt.Slurm;

/// <summary>
/// Runs jobs on a SLURM cluster: each stage's jobs go out as job arrays (a handful of sbatch calls for
/// thousands of jobs) with per-variant dependencies; then, unless detached, the run is followed with one
/// squeue call per poll until every job ended. Ctrl-C stops following, not the jobs (<c>expt cancel</c> does that).
/// </summary>
public sealed class SlurmExecutor(ISlurmClient client, TimeProvider time) : IExecutor
{
    /// <inheritdoc />
    public string Name => "slurm";

    /// <inheritdoc />
    public IReadOnlyList<RunProblem> Validate(Plan plan, ExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<RunProblem>();
        SlurmSettings.Parse(plan.Definition.Executor, problems, plan.Definition.ExecutorLocations);
        return problems;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobWork>> ReconcileAsync(RunSession session, IReadOnlyList<JobWork> unfinished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(unfinished);
        var run = session.Store;
        var scope = unfinished.Select(w => w.Job.Id).ToHashSet(StringComparer.Ordinal);
        await new UnrecordedSubmissions(run, client, time).RecoverAsync(scope, cancellationToken).ConfigureAwait(false);
        await new SlurmTracker(run, client, time).RefreshAsync(scope, cancellationToken).ConfigureAwait(false);
        return unfinished.Select(w =>
        {
            var status = run.Status(run.Find(w.Job.Id)!);
            // Still waiting or running in SLURM: followed, never submitted a second time.
            var adopted = status.State is JobState.Queued or JobState.Running && SlurmIds.Of(status.Attempts.LastOrDefault()) is not null;
            return new JobWork(w.Job, status with { Identity = w.Status.Identity }, AdoptedInScheduler: adopted);
        }).ToList();
    }

    /// <inheritdoc />
    public async Task<ExecutionResult> RunAsync(RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer, RunStop stop)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(stop);
        var settings = SlurmSettings.Parse(session.Plan.Definition.Executor, new List<RunProblem>());
        var info = await DescribeAsync(session, settings, stop.Token).ConfigureAwait(false);
        info.Write(session.Directory);
        var run = session.Store;

        var fresh = work.Where(w => !w.IsAdopted).Select(w => w.Job.Id).ToHashSet(StringComparer.Ordinal);
        // An adopted job that has not started but waits for a job submitted again now would wait for the old attempt.
        var relink = work.Where(w => w.IsAdopted && w.Status.State == JobState.Queued && w.Job.Needs.Any(fresh.Contains)).ToList();
        if (relink.Count > 0)
        {
            await client.CancelAsync(relink.Select(w => SlurmIds.Of(w.Status.Attempts[^1])!.TaskId).ToList(), stop.Token).ConfigureAwait(false);
            foreach (var w in relink) fresh.Add(w.Job.Id);
        }
        foreach (var w in work.Where(w => fresh.Contains(w.Job.Id))) Prepare(session, w.Job, settings);

        var requests = work.Where(w => fresh.Contains(w.Job.Id)).Select(w => new SubmitRequest(w.Job.Id)).ToList();
        IReadOnlyList<StatusChange> submitted;
        try
        {
            submitted = await new SlurmSubmitter(run, client, info, time).SubmitAsync(requests, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            submitted = [];
        }
        foreach (var change in submitted) observer.JobUpdated(change.After);
        var queued = submitted.Where(c => c.After.State == JobState.Queued).ToList();
        if (queued.Count > 0)
        {
            var arrays = queued.Select(c => SlurmIds.Of(c.After.Attempts[^1])!.ArrayJobId).Distinct(StringComparer.Ordinal).ToList();
            observer.Message($"submitted {queued.Count} job(s) to SLURM as {arrays.Count} array(s): {string.Join(", ", arrays)}");
        }
        foreach (var w in work.Where(w => w.IsAdopted && !fresh.Contains(w.Job.Id)))
        {
            observer.Message($"adopted {w.Job.Id}: still {w.Status.State.Name()} in SLURM as {SlurmIds.Of(w.Status.Attempts.LastOrDefault())?.TaskId}");
        }

        var scope = work.Select(w => w.Job.Id).ToHashSet(StringComparer.Ordinal);
        var ended = false;
        if (!options.Detach && !stop.Token.IsCancellationRequested)
        {
            ended = await new SlurmFollower(run, client, info, time, options.RetryBackoff).FollowAsync(scope, observer, stop.Token).ConfigureAwait(false);
        }
        var statuses = work.ToDictionary(w => w.Job.Id, w => run.Status(run.Find(w.Job.Id)!), StringComparer.Ordinal);
        var stillInSlurm = statuses.Values.Any(s => s.State is JobState.Queued or JobState.Running);
        var interrupted = stop.Token.IsCancellationRequested && !ended;
        return new ExecutionResult(statuses, interrupted, interrupted ? stop.Reason : null, Detached: stillInSlurm);
    }

    /// <summary>What the run's arrays are submitted with, kept for followers that have no spec.</summary>
    private async Task<SlurmRunInfo> DescribeAsync(RunSession session, SlurmSettings settings, CancellationToken cancellationToken)
    {
        var d = session.Plan.Definition;
        var config = await client.ShowAsync("config", null, cancellationToken).ConfigureAwait(false);
        var maxArraySize = config is not null && config.TryGetValue("MaxArraySize", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m > 0
            ? m
            : SlurmPaths.DefaultMaxArraySize;
        var stages = d.Stages.ToDictionary(
            s => s.Name,
            s => new SlurmStageInfo(SbatchOptions.For(d.Name, s, settings, session.Directory), settings.ArrayLimit, s.Retries, s.RetryOn),
            StringComparer.Ordinal);
        return new SlurmRunInfo { PollIntervalSeconds = settings.PollInterval.TotalSeconds, MaxArraySize = maxArraySize, Stages = stages };
    }

    /// <summary>Writes what a job's SLURM task needs: config.json, the command and the wrapper with its environment.</summary>
    private static void Prepare(RunSession session, PlannedJob job, SlurmSettings settings)
    {
        var dir = session.JobDirectory(job);
        session.WriteConfig(job);
        var record = JobLaunchRecord.For(session, job);
        AtomicFile.WriteAllText(SlurmPaths.Command(dir), record.Command + "\n");
        // SLURM sets CUDA_VISIBLE_DEVICES for the GPUs it grants; OMP_NUM_THREADS follows the CPUs asked for.
        var cpus = record.Resources.Cpus ?? settings.Cpus ?? 0;
        var launch = record.ForAttempt(0, new Allocation([], cpus, 0), machineHasGpus: false);
        var wrapper = JobWrapper.Render(new JobWrapperContent(job.Id, dir, record.WorkingDirectory, launch.Environment));
        AtomicFile.WriteAllText(SlurmPaths.JobWrapper(dir), wrapper);
    }
}
