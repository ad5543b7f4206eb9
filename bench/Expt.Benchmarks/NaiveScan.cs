using Expt.Metrics;
using Expt.Recording;
using Expt.Results;

namespace Expt.Benchmarks;

/// <summary>
/// What a listing costs without the catalog: read every run, every job's status and config, and every job's metrics,
/// then filter in memory (<c>lr &lt; 1e-3 and accuracy &gt;= 0.8 and state = succeeded</c>).
/// </summary>
internal static class NaiveScan
{
    public static int Count(string root)
    {
        var matches = 0;
        foreach (var location in RunReader.Locations(root))
        {
            var run = RunReader.Read(location, out _);
            if (run is null) continue;
            foreach (var job in run.Jobs)
            {
                if (job.State != JobState.Succeeded) continue;
                if (job.Params.GetValueOrDefault("lr")?.GetValue<double>() is not < 1e-3) continue;
                if (job.ReadMetrics().Scalars.GetValueOrDefault("accuracy").AsNumber is >= 0.8) matches++;
            }
        }
        return matches;
    }
}
