namespace Expt.Slurm.Submission;

/// <summary>An array, either one planned in this submission (by its ordinal) or one already in SLURM (by its id).</summary>
/// <param name="Ordinal">The planned array's position in this submission.</param>
/// <param name="SlurmId">The existing array's SLURM id.</param>
internal sealed record ArrayRef(int? Ordinal, string? SlurmId)
{
    public static ArrayRef Planned(int ordinal) => new(ordinal, null);

    public static ArrayRef Existing(string slurmId) => new(null, slurmId);

    public override string ToString() => SlurmId ?? $"#{Ordinal}";
}

/// <summary>One task of an array.</summary>
/// <param name="Array">The array.</param>
/// <param name="Index">The task index.</param>
internal sealed record TaskRef(ArrayRef Array, int Index);

/// <summary>A job to place into an array.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Stage">Its stage (jobs of one array share the stage's sbatch options).</param>
/// <param name="BatchNeeds">Jobs it needs that are submitted in the same batch (placed earlier).</param>
/// <param name="SlurmNeeds">Jobs it needs that already wait or run in SLURM (adopted), by task.</param>
/// <param name="BeginDelay">Seconds before it may start (retry backoff).</param>
internal sealed record ArrayJob(string JobId, string Stage, IReadOnlyList<string> BatchNeeds, IReadOnlyList<TaskRef> SlurmNeeds, int? BeginDelay = null);

/// <summary>One array to submit with one sbatch call.</summary>
/// <param name="Ordinal">Its position in the submission; arrays only depend on arrays before them.</param>
/// <param name="Stage">The stage of its tasks.</param>
/// <param name="Tasks">Task index → job, ascending by index.</param>
/// <param name="AfterCorr">Arrays whose task with the same index must succeed first (<c>aftercorr</c>).</param>
/// <param name="AfterOk">Individual tasks that must succeed first (<c>afterok</c>), when indices could not be aligned.</param>
/// <param name="BeginDelay">Seconds before the tasks may start.</param>
internal sealed record PlannedArray(int Ordinal, string Stage, IReadOnlyList<(int Index, string JobId)> Tasks, IReadOnlyList<ArrayRef> AfterCorr, IReadOnlyList<TaskRef> AfterOk, int? BeginDelay)
{
    /// <summary>The arrays of this submission it waits for.</summary>
    public IEnumerable<int> PlannedUpstream =>
        AfterCorr.Concat(AfterOk.Select(t => t.Array)).Where(a => a.Ordinal is not null).Select(a => a.Ordinal!.Value).Distinct();
}
