using Expt.Internal;
using Expt.Planning;
using Expt.Recording;

namespace Expt.Slurm.Recording;

/// <summary>Records through the runner's <see cref="RunSession"/> (which holds the run lock) during <c>expt run</c>.</summary>
internal sealed class SessionRecorder : IRunRecorder
{
    private readonly RunSession _session;
    private readonly Dictionary<string, PlannedJob> _planned;
    private readonly Dictionary<string, ManifestJob> _jobs;
    private readonly Dictionary<string, JobStatus> _outside = new(StringComparer.Ordinal);

    public SessionRecorder(RunSession session)
    {
        _session = session;
        _planned = session.Plan.Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
        Jobs = session.Manifest.Current.Jobs;
        _jobs = Jobs.ToDictionary(j => j.Id, StringComparer.Ordinal);
    }

    public string RunDirectory => _session.Directory;

    public string RunId => _session.RunId;

    public RunLog Log => _session.Log;

    public IReadOnlyList<ManifestJob> Jobs { get; }

    public ManifestJob? Find(string jobId) => _jobs.GetValueOrDefault(jobId);

    public JobStatus Status(ManifestJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_planned.TryGetValue(job.Id, out var planned)) return _session.Status(planned) ?? RunSession.NewStatus(planned);
        // A job of the run outside this runner's selection (--only/--filter): read from its files.
        if (_outside.TryGetValue(job.Id, out var known)) return known;
        return _outside[job.Id] = JsonFiles.TryRead<JobStatus>(Path.Combine(this.JobDirectory(job), JobStatus.FileName)) ?? Recorders.Fresh(job);
    }

    public void Record(ManifestJob job, JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (_planned.TryGetValue(job.Id, out var planned))
        {
            _session.Record(planned, status);
            return;
        }
        JsonFiles.Write(Path.Combine(this.JobDirectory(job), JobStatus.FileName), status);
        _outside[job.Id] = status;
        _session.Manifest.Update(Recorders.Entry(job, status));
    }
}
