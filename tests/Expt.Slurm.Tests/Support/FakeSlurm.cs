using System.Globalization;
using System.Text.RegularExpressions;
using Expt.Slurm.Client;

namespace Expt.Slurm.Tests.Support;

/// <summary>
/// An <see cref="ISlurmClient"/> that runs nothing: it accepts submissions (or fails them on request), shows
/// every submitted array task as PENDING until a test sets its state, and counts every call.
/// </summary>
internal sealed partial class FakeSlurm : ISlurmClient
{
    private readonly object _gate = new();
    private int _nextId = 100;

    /// <summary>Scripts given to sbatch, in order.</summary>
    public List<string> Submitted { get; } = [];

    /// <summary>The jobs of every squeue call.</summary>
    public List<IReadOnlyCollection<string>> QueueCalls { get; } = [];

    /// <summary>The ids of every scancel call.</summary>
    public List<IReadOnlyCollection<string>> CancelCalls { get; } = [];

    /// <summary>The queue, by task id (<c>A_i</c>).</summary>
    public Dictionary<string, QueueEntry> Queue { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, decides each submission's failure (the error) by its 1-based call number.</summary>
    public Func<int, string?>? FailSubmission { get; set; }

    /// <summary>When set, squeue fails with this error.</summary>
    public string? QueueError { get; set; }

    public Task<SubmitResult> SubmitAsync(string scriptPath, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Submitted.Add(scriptPath);
            if (FailSubmission?.Invoke(Submitted.Count) is { } error) return Task.FromResult(new SubmitResult(null, error));
            var id = (_nextId++).ToString(CultureInfo.InvariantCulture);
            Scripts[id] = scriptPath;
            foreach (var index in Indices(File.ReadAllText(scriptPath)))
            {
                var task = $"{id}_{index.ToString(CultureInfo.InvariantCulture)}";
                Queue[task] = new QueueEntry(task, "PENDING", "None", id, null);
            }
            return Task.FromResult(new SubmitResult(id, null));
        }
    }

    public Task<QueueSnapshot> QueueAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            QueueCalls.Add(jobIds.ToList());
            if (QueueError is not null) return Task.FromResult(new QueueSnapshot(new Dictionary<string, QueueEntry>(), QueueError));
            var entries = Queue.Values.Where(e => jobIds.Contains(e.Id.Split('_')[0])).ToDictionary(e => e.Id, StringComparer.Ordinal);
            return Task.FromResult(new QueueSnapshot(entries, null));
        }
    }

    /// <summary>Script paths of every submission, by array id (what <c>squeue -O ArrayJobID,Command</c> shows).</summary>
    public Dictionary<string, string> Scripts { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, string>?> ScriptsAsync(string folder, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (QueueError is not null) return Task.FromResult<IReadOnlyDictionary<string, string>?>(null);
            var prefix = Path.TrimEndingDirectorySeparator(folder) + "/";
            return Task.FromResult<IReadOnlyDictionary<string, string>?>(Scripts.Where(s => s.Value.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal));
        }
    }

    public Task<SlurmCallResult> CancelAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            CancelCalls.Add(jobIds.ToList());
            foreach (var e in Queue.Values.ToList())
            {
                var array = e.Id.Split('_')[0];
                if ((jobIds.Contains(array) || jobIds.Contains(e.Id)) && e.State is "PENDING" or "RUNNING") Queue[e.Id] = e with { State = "CANCELLED", Reason = "None" };
            }
            return Task.FromResult(new SlurmCallResult(true, null));
        }
    }

    public Task<IReadOnlyDictionary<string, string>?> ShowAsync(string entity, string? id, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>?>(entity == "config" ? new Dictionary<string, string> { ["MaxArraySize"] = MaxArraySize.ToString(CultureInfo.InvariantCulture) } : null);

    /// <summary>What <c>scontrol show config</c> reports.</summary>
    public int MaxArraySize { get; set; } = 1001;

    /// <summary>Sets a task's state as squeue would show it.</summary>
    public void Set(string taskId, string state, string reason = "None", int restarts = 0)
    {
        lock (_gate) Queue[taskId] = Queue[taskId] with { State = state, Reason = reason, Node = state == "PENDING" ? null : "node1", RestartCount = restarts };
    }

    /// <summary>Forgets a task, as SLURM does after MinJobAge or for a cancelled pending task.</summary>
    public void Forget(string taskId)
    {
        lock (_gate) Queue.Remove(taskId);
    }

    /// <summary>The options of a submitted script's <c>#SBATCH</c> lines.</summary>
    public static IReadOnlyList<string> Directives(string scriptPath) =>
        File.ReadLines(scriptPath).Where(l => l.StartsWith("#SBATCH ", StringComparison.Ordinal)).Select(l => l[8..]).ToList();

    private static IEnumerable<int> Indices(string script)
    {
        var spec = ArrayLine().Match(script).Groups[1].Value.Split('%')[0];
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            var from = int.Parse(range[0], CultureInfo.InvariantCulture);
            var to = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : from;
            for (var i = from; i <= to; i++) yield return i;
        }
    }

    [GeneratedRegex(@"^#SBATCH --array=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex ArrayLine();
}
