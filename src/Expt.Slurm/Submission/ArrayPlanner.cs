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
        var arrays = new Arrays(maxArraySize);
        var placed = new Dictionary<string, TaskRef>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            var needs = job.BatchNeeds.Select(n => placed.TryGetValue(n, out var t) ? t : throw new InvalidOperationException($"{job.JobId} needs {n}, which is not placed before it"))
                .Concat(job.SlurmNeeds).Distinct().ToList();
            var delay = job.BeginDelay?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-";
            TaskRef position;
            if (needs.Count == 0)
            {
                position = arrays.PlaceNext($"{job.Stage}|{delay}|none", job, [], []);
            }
            else if (needs.Select(n => n.Index).Distinct().Count() == 1)
            {
                var upstream = needs.Select(n => n.Array).Distinct().OrderBy(a => a.ToString(), StringComparer.Ordinal).ToList();
                var key = $"{job.Stage}|{delay}|corr:{string.Join(",", upstream)}";
                position = arrays.PlaceAt(key, job, needs[0].Index, upstream);
            }
            else
            {
                var after = needs.OrderBy(n => n.Array.ToString(), StringComparer.Ordinal).ThenBy(n => n.Index).ToList();
                var key = $"{job.Stage}|{delay}|ok:{string.Join(",", after.Select(a => $"{a.Array}_{a.Index}"))}";
                position = arrays.PlaceNext(key, job, [], after);
            }
            placed[job.JobId] = position;
        }
        return arrays.Build();
    }

    /// <summary>The arrays being built, each in the group of jobs that may share it (same stage, delay and dependency form).</summary>
    private sealed class Arrays(int max)
    {
        private readonly List<Builder> _builders = [];
        private readonly Dictionary<string, List<Builder>> _groups = new(StringComparer.Ordinal);

        /// <summary>The next free index of the last array of the group, or a new array when it is full.</summary>
        public TaskRef PlaceNext(string key, ArrayJob job, List<ArrayRef> corr, List<TaskRef> ok)
        {
            var list = Group(key);
            var b = list.LastOrDefault(x => x.Next < max);
            b ??= New(list, job, corr, ok);
            var index = b.Next++;
            b.Tasks.Add((index, job.JobId));
            return new TaskRef(ArrayRef.Planned(b.Ordinal), index);
        }

        /// <summary>Index <paramref name="index"/> of the first array of the group where it is free, or of a new array.</summary>
        public TaskRef PlaceAt(string key, ArrayJob job, int index, List<ArrayRef> corr)
        {
            var list = Group(key);
            var b = list.FirstOrDefault(x => !x.Used.Contains(index)) ?? New(list, job, corr, []);
            b.Used.Add(index);
            b.Tasks.Add((index, job.JobId));
            return new TaskRef(ArrayRef.Planned(b.Ordinal), index);
        }

        public IReadOnlyList<PlannedArray> Build() => _builders.Select(b => b.Build()).ToList();

        private Builder New(List<Builder> group, ArrayJob job, List<ArrayRef> corr, List<TaskRef> ok)
        {
            var b = new Builder(_builders.Count, job.Stage, corr, ok, job.BeginDelay);
            _builders.Add(b);
            group.Add(b);
            return b;
        }

        private List<Builder> Group(string key)
        {
            if (!_groups.TryGetValue(key, out var list)) _groups[key] = list = [];
            return list;
        }
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
