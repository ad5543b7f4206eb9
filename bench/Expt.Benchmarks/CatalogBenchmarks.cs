using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Expt.Catalog;

namespace Expt.Benchmarks;

/// <summary>The catalog against a plain scan of the files, on a synthetic results root of 100,000 jobs.</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class CatalogBenchmarks
{
    /// <summary>The filter every listing benchmark answers.</summary>
    public const string Where = "lr < 1e-3 and accuracy >= 0.8 and state = succeeded";

    private string _root = "";

    [GlobalSetup]
    public void Setup()
    {
        _root = BenchSettings.Root;
        SyntheticResults.Ensure(_root, BenchSettings.Jobs, BenchSettings.JobsPerRun);
        CatalogStore.Rebuild(_root);
    }

    [Benchmark(Description = "ls --jobs --where (warm catalog)")]
    public int LsJobsWhere() => CatalogStore.Use(_root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: Where)).Count);

    [Benchmark(Description = "ls --jobs --where --sort -accuracy --limit 20 (warm)")]
    public int LsJobsWhereTop() => CatalogStore.Use(_root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: Where, Sort: "-accuracy", Limit: 20)).Count);

    [Benchmark(Description = "reindex (cold: no catalog)")]
    public int Reindex() => CatalogStore.Rebuild(_root).Jobs;

    [Benchmark(Baseline = true, Description = "naive scan of the files")]
    public int Naive() => NaiveScan.Count(_root);
}
