namespace Expt.Design;

/// <summary>The earlier jobs of one param point (identical params), with each measure's median.</summary>
internal sealed class HistoryPoint(ParamPoint point)
{
    /// <summary>The params.</summary>
    public ParamPoint Params { get; } = point;

    /// <summary>The jobs that had exactly these params.</summary>
    public List<JobMeasures> Jobs { get; } = [];

    /// <summary>Each measure's median over <see cref="Jobs"/>, null where none measured it.</summary>
    public double?[] Medians { get; private set; } = new double?[Measures.Count];

    /// <summary>How many of <see cref="Jobs"/> measured each measure.</summary>
    public int[] Counts { get; private set; } = new int[Measures.Count];

    /// <summary>Computes the medians once every job is added.</summary>
    public void Seal() => (Medians, Counts) = Measures.Summarise(Jobs);
}

/// <summary>
/// The earlier jobs of one stage, grouped once by param point and by their non-numeric params, so that each planned
/// job costs a few dictionary look-ups rather than a pass over the history.
/// </summary>
internal sealed class StageHistory
{
    private readonly Dictionary<string, HistoryPoint> _points = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PointSet> _partitions = new(StringComparer.Ordinal);

    /// <summary>Groups the stage's jobs.</summary>
    public StageHistory(IEnumerable<(ParamPoint Params, JobMeasures Measures)> jobs)
    {
        var all = new List<JobMeasures>();
        foreach (var (point, measures) in jobs)
        {
            if (!_points.TryGetValue(point.Key, out var p)) _points[point.Key] = p = new HistoryPoint(point);
            p.Jobs.Add(measures);
            all.Add(measures);
        }
        foreach (var p in _points.Values) p.Seal();
        (Medians, Counts) = Measures.Summarise(all);

        // Numeric: a number in every job of the stage. A param some jobs lack or give as text partitions instead.
        var points = _points.Values.ToList();
        NumericNames = points.Count == 0
            ? new HashSet<string>(StringComparer.Ordinal)
            : points.Skip(1).Aggregate(new HashSet<string>(points[0].Params.Numbers.Keys, StringComparer.Ordinal), (names, p) =>
            {
                names.IntersectWith(p.Params.Numbers.Keys);
                return names;
            });
        foreach (var group in points.GroupBy(p => p.Params.KeyOf(n => !NumericNames.Contains(n)), StringComparer.Ordinal))
        {
            _partitions[group.Key] = new PointSet([.. group]);
        }
        All = new PointSet(points);
    }

    /// <summary>Params that are a number in every job of the stage, in ordinal order.</summary>
    public HashSet<string> NumericNames { get; }

    /// <summary>Every point of the stage.</summary>
    public PointSet All { get; }

    /// <summary>Each measure's median over every job of the stage.</summary>
    public double?[] Medians { get; }

    /// <summary>How many jobs of the stage measured each measure.</summary>
    public int[] Counts { get; }

    /// <summary>The point with exactly the planned params, if any job had them.</summary>
    public HistoryPoint? Same(ParamPoint planned) => _points.GetValueOrDefault(planned.Key);

    /// <summary>
    /// The points whose non-numeric params equal the planned job's, or every point of the stage (<paramref name="matched"/>
    /// false) when none do. A numeric param the planned job lacks or gives as text counts as a non-numeric difference.
    /// </summary>
    public PointSet Partition(ParamPoint planned, out bool matched)
    {
        var key = planned.KeyOf(
            n => !(NumericNames.Contains(n) && planned.Numbers.ContainsKey(n)),
            NumericNames.Where(n => !planned.Values.ContainsKey(n)));
        matched = _partitions.TryGetValue(key, out var set);
        return set ?? All;
    }
}
