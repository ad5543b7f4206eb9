namespace Expt.Slurm.Submission;

/// <summary>
/// Packs jobs into as few job arrays as possible while keeping dependencies per variant. A job that needs
/// others takes the task index of the tasks it needs, so the whole array can wait with one
/// <c>aftercorr</c> (task i starts when task i of each upstream array succeeded), never "after all of
/// training". Jobs that would take an index already used in their array (several cells or shards of one
/// variant) go to a parallel array; jobs whose needs sit at different indices fall back to per-task
/// <c>afterok:ARRAY_INDEX</c>. Jobs that need nothing get consecutive indices. Pure: no I/O.
/// </summary>
internal static class ArrayPlanner
{
    /// <summary>Places <paramref name="jobs"/> (needs before their dependants) into arrays of at most <paramref name="maxArraySize"/> indices (0…max-1).</summary>
    public static IReadOnlyList<PlannedArray> Plan(IReadOnlyList<ArrayJob> jobs, int maxArraySize)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxArraySize, 1);
        var builders = new List<Builder>();
        var groups = new Dictionary<string, List<Builder>>(StringComparer.Ordinal);
        var placed = new Dictionary<string, TaskRef>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var needs = job.BatchNeeds.Select(n => placed.TryGetValue(n, out var t) ? t : throw new InvalidOperationException($"{job.JobId} needs {n}, which is not placed before it"))
                .Concat(job.SlurmNeeds).Distinct().ToList();
            var delay = job.BeginDelay?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            TaskRef position;
            if (needs.Count == 0)
            {
                position = PlaceNext(builders, groups, $"{job.Stage}|{delay}|none", job, maxArraySize, []);
            }
            else if (needs.Select(n => n.Index).Distinct().Count() == 1)
            {
                var upstream = needs.Select(n => n.Array).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
                var key = $"{job.Stage}|{delay}|corr:{string.Join(",", upstream)}";
                position = PlaceAt(builders, groups, key, job, needs[0].Index, upstream);
            }
            else
            {
                var after = needs.OrderBy(n => n.Array.ToString(), StringComparer.Ordinal).ThenBy(n => n.Index).ToList();
                var key = $"{job.Stage}|{delay}|ok:{string.Join(",", after.Select(a => $"{a.Array}_{a.Index}"))}";
                position = PlaceNext(builders, groups, key, job, maxArraySize, after);
            }
            placed[job.JobId] = position;
        }
        return builders.Select(b => b.Build()).ToList();
    }

    /// <summary>The next free index of the group's last array with room; such arrays wait for nothing or per task (<paramref name="ok"/>).</summary>
    private static TaskRef PlaceNext(List<Builder> builders, Dictionary<string, List<Builder>> groups, string key, ArrayJob job, int max, List<TaskRef> ok)
    {
        var list = Group(groups, key);
        var b = list.LastOrDefault(x => x.Next < max);
        if (b is null)
        {
            b = new Builder(builders.Count, job.Stage, [], ok, job.BeginDelay);
            builders.Add(b);
            list.Add(b);
        }
        var index = b.Next++;
        b.Tasks.Add((index, job.JobId));
        return new TaskRef(ArrayRef.Planned(b.Ordinal), index);
    }

    private static TaskRef PlaceAt(List<Builder> builders, Dictionary<string, List<Builder>> groups, string key, ArrayJob job, int index, List<ArrayRef> corr)
    {
        var list = Group(groups, key);
        var b = list.FirstOrDefault(x => !x.Used.Contains(index));
        if (b is null)
        {
            b = new Builder(builders.Count, job.Stage, corr, [], job.BeginDelay);
            builders.Add(b);
            list.Add(b);
        }
        b.Used.Add(index);
        b.Tasks.Add((index, job.JobId));
        return new TaskRef(ArrayRef.Planned(b.Ordinal), index);
    }

    private static List<Builder> Group(Dictionary<string, List<Builder>> groups, string key)
    {
        if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
        return list;
    }

    private sealed class Builder(int ordinal, string stage, List<ArrayRef> corr, List<TaskRef> ok, int? delay)
    {
        public int Ordinal { get; } = ordinal;
        public int Next { get; set; }
        public HashSet<int> Used { get; } = [];
        public List<(int Index, string JobId)> Tasks { get; } = [];

        public PlannedArray Build() => new(Ordinal, stage, Tasks.OrderBy(t => t.Index).ToList(), corr, ok, delay);
    }
}
