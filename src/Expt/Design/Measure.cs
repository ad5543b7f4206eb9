namespace Expt.Design;

/// <summary>One figure an estimate gives, in the order <see cref="JobEstimate"/> lists them.</summary>
internal enum Measure
{
    Wall,
    Cpu,
    Gpu,
    PeakRss,
    Output,
}

/// <summary>Reading, naming and summarising the measures of history jobs.</summary>
internal static class Measures
{
    /// <summary>How many measures there are.</summary>
    public const int Count = 5;

    /// <summary>Every measure, wall time first: it decides an estimate's basis.</summary>
    public static readonly Measure[] All = [Measure.Wall, Measure.Cpu, Measure.Gpu, Measure.PeakRss, Measure.Output];

    /// <summary>The measure's name in an estimate's detail.</summary>
    public static string Name(Measure measure) => measure switch
    {
        Measure.Wall => "wall",
        Measure.Cpu => "CPU",
        Measure.Gpu => "GPU",
        Measure.PeakRss => "peak memory",
        _ => "output",
    };

    /// <summary>
    /// The measure of one job, or null when it was not measured. A value that is not a finite, non-negative number
    /// (a damaged record) counts as not measured rather than poisoning a median or a fit.
    /// </summary>
    public static double? Of(JobMeasures job, Measure measure)
    {
        double? value = measure switch
        {
            Measure.Wall => job.WallSeconds,
            Measure.Cpu => job.CpuSeconds,
            Measure.Gpu => job.GpuSeconds,
            Measure.PeakRss => job.PeakRssMb,
            _ => job.OutputBytes,
        };
        return value is { } v && double.IsFinite(v) && v >= 0 ? v : null;
    }

    /// <summary>The median of each measure over <paramref name="jobs"/> (null where none has it), with how many had it.</summary>
    public static (double?[] Medians, int[] Counts) Summarise(IReadOnlyCollection<JobMeasures> jobs)
    {
        var medians = new double?[Count];
        var counts = new int[Count];
        var values = new List<double>(jobs.Count);
        foreach (var m in All)
        {
            values.Clear();
            foreach (var job in jobs)
            {
                if (Of(job, m) is { } v) values.Add(v);
            }
            counts[(int)m] = values.Count;
            medians[(int)m] = Median(values);
        }
        return (medians, counts);
    }

    /// <summary>The median (the mean of the middle two for an even count), or null for no values; sorts <paramref name="values"/>.</summary>
    public static double? Median(List<double> values)
    {
        if (values.Count == 0) return null;
        values.Sort();
        var mid = values.Count / 2;
        // Halves first: the mean of two huge values must not overflow to infinity.
        return values.Count % 2 == 1 ? values[mid] : values[mid - 1] / 2 + values[mid] / 2;
    }
}
