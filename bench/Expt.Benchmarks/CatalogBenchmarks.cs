using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Expt.Catalog;
using Expt.Cli;

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

    [Benchmark(Description = "expt ls --jobs --where, in-process end to end (parse, check, query, table)")]
    public int LsCommand() => Ls(_root, Where);

    [Benchmark(Description = "expt ls --jobs --where --sort -accuracy --limit 20, in-process end to end")]
    public int LsCommandTop() => Ls(_root, Where, "--sort", "-accuracy", "--limit", "20");

    /// <summary>
    /// Runs <c>expt ls --jobs --where WHERE</c> as the <c>expt</c> process does, output to a null writer: everything
    /// but the process start-up and the terminal.
    /// </summary>
    public static int Ls(string root, string where, params string[] more)
    {
        var context = new CliContext(TextWriter.Null, TextWriter.Null, false, TimeProvider.System);
        var code = ExptCli.RunAsync(["ls", "--jobs", "--where", where, "--results", root, .. more], context).GetAwaiter().GetResult();
        return code == 0 ? code : throw new InvalidOperationException($"expt ls exited {code}");
    }

    [Benchmark(Description = "reindex (cold: no catalog)")]
    public int Reindex() => CatalogStore.Rebuild(_root).Jobs;

    [Benchmark(Baseline = true, Description = "naive scan of the files")]
    public int Naive() => NaiveScan.Count(_root);
}
