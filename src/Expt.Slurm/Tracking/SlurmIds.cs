using System.Globalization;
using Expt.Recording;

namespace Expt.Slurm.Tracking;

/// <summary>The SLURM ids of one attempt, kept in its <see cref="AttemptRecord.Executor"/> (and so in the manifest).</summary>
/// <param name="ArrayJobId">The array's job id.</param>
/// <param name="TaskIndex">The task index in the array.</param>
/// <param name="ArrayNumber">The array's number within the run (its script and index file).</param>
/// <param name="SubmittedAttempt">The attempt the task was submitted as; SLURM's restarts add to it.</param>
internal sealed record SlurmIds(string ArrayJobId, int TaskIndex, int ArrayNumber, int SubmittedAttempt)
{
    public const string JobIdKey = "slurmJobId";
    public const string ArrayJobIdKey = "slurmArrayJobId";
    public const string TaskIndexKey = "slurmArrayTaskId";
    public const string RawJobIdKey = "slurmRawJobId";
    public const string ArrayNumberKey = "array";
    public const string SubmittedAtKey = "submittedAt";
    public const string SubmittedAttemptKey = "submittedAttempt";

    /// <summary>The task as SLURM names it: <c>ARRAY_INDEX</c>.</summary>
    public string TaskId => $"{ArrayJobId}_{TaskIndex.ToString(CultureInfo.InvariantCulture)}";

    public Dictionary<string, string> ToDictionary(DateTimeOffset submittedAt) => new(StringComparer.Ordinal)
    {
        [JobIdKey] = TaskId,
        [ArrayJobIdKey] = ArrayJobId,
        [TaskIndexKey] = TaskIndex.ToString(CultureInfo.InvariantCulture),
        [ArrayNumberKey] = ArrayNumber.ToString(CultureInfo.InvariantCulture),
        [SubmittedAtKey] = submittedAt.ToString("O", CultureInfo.InvariantCulture),
        [SubmittedAttemptKey] = SubmittedAttempt.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The ids of an attempt, or null when it was never submitted to SLURM.</summary>
    public static SlurmIds? Of(AttemptRecord? attempt)
    {
        var e = attempt?.Executor;
        if (e is null || !e.TryGetValue(ArrayJobIdKey, out var array) || !e.TryGetValue(TaskIndexKey, out var index)) return null;
        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i)) return null;
        var number = e.TryGetValue(ArrayNumberKey, out var n) && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : 0;
        var submitted = e.TryGetValue(SubmittedAttemptKey, out var s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : attempt!.Attempt;
        return new SlurmIds(array, i, number, submitted);
    }

    /// <summary>When the attempt was submitted.</summary>
    public static DateTimeOffset? SubmittedAt(AttemptRecord? attempt) =>
        attempt?.Executor is { } e && e.TryGetValue(SubmittedAtKey, out var t) && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
