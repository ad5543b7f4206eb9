using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Expt.Benchmarks;
using Expt.Catalog;

// dotnet run -c Release --project bench/Expt.Benchmarks -- --quick [--jobs N] [--jobs-per-run N] [--root DIR] [--no-naive]
//                                                                                             one pass, plain timings
// dotnet run -c Release --project bench/Expt.Benchmarks -- --generate [--root DIR]            only make the synthetic root
// dotnet run -c Release --project bench/Expt.Benchmarks                                     BenchmarkDotNet
BenchSettings.Parse(args);
if (args.Contains("--generate"))
{
    SyntheticResults.Ensure(BenchSettings.Root, BenchSettings.Jobs, BenchSettings.JobsPerRun);
    Console.WriteLine(BenchSettings.Root);
    return 0;
}
if (!args.Contains("--quick"))
{
    BenchmarkRunner.Run<CatalogBenchmarks>(args: [.. args.Where(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "*")]);
    return 0;
}

Console.WriteLine($"Results root: {BenchSettings.Root} ({BenchSettings.Jobs:N0} jobs, {BenchSettings.JobsPerRun:N0} per run); load average: {LoadAverage()}");
var clock = Stopwatch.StartNew();
SyntheticResults.Ensure(BenchSettings.Root, BenchSettings.Jobs, BenchSettings.JobsPerRun);
Console.WriteLine($"generate (or reuse)                 {Seconds(clock.Elapsed)}");

var rebuild = Time(() => CatalogStore.Rebuild(BenchSettings.Root));
Console.WriteLine($"reindex (cold: no catalog)          {Seconds(rebuild.Elapsed)}  ({rebuild.Value.Runs} runs, {rebuild.Value.Jobs:N0} jobs)");

var check = Median(() => CatalogStore.Use(BenchSettings.Root, (_, r) => r.Read));
Console.WriteLine($"staleness check only (warm)         {Millis(check)}");
var matches = 0;
var where = Median(() => matches = CatalogStore.Use(BenchSettings.Root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: CatalogBenchmarks.Where)).Count));
Console.WriteLine($"ls --jobs --where (warm)            {Millis(where)}  ({matches:N0} rows with params and metrics; where: {CatalogBenchmarks.Where})");
var top = Median(() => CatalogStore.Use(BenchSettings.Root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: CatalogBenchmarks.Where, Sort: "-accuracy", Limit: 20)).Count));
Console.WriteLine($"  ... --sort -accuracy --limit 20   {Millis(top)}");
var selective = 0;
var narrow = Median(() => selective = CatalogStore.Use(BenchSettings.Root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: "accuracy > 0.949 and model = llama-1b")).Count));
Console.WriteLine($"ls --jobs --where (selective, warm) {Millis(narrow)}  ({selective:N0} rows; where: accuracy > 0.949 and model = llama-1b)");
var runs = Median(() => CatalogStore.Use(BenchSettings.Root, (store, _) => CatalogQuery.Runs(store, new CatalogFilter()).Count));
Console.WriteLine($"ls (runs, warm)                     {Millis(runs)}");

// The whole command as the process runs it, minus the process: parsing, the catalog check, the query, the table.
var command = Median(() => CatalogBenchmarks.Ls(BenchSettings.Root, CatalogBenchmarks.Where));
Console.WriteLine($"expt ls --jobs --where, in-process  {Millis(command)}  (parse, check, query, {matches:N0}-line table to a null writer)");
var commandTop = Median(() => CatalogBenchmarks.Ls(BenchSettings.Root, CatalogBenchmarks.Where, "--sort", "-accuracy", "--limit", "20"));
Console.WriteLine($"  ... --sort -accuracy --limit 20   {Millis(commandTop)}");
var commandNarrow = Median(() => CatalogBenchmarks.Ls(BenchSettings.Root, "accuracy > 0.949 and model = llama-1b"));
Console.WriteLine($"  ... selective ({selective:N0} rows)          {Millis(commandNarrow)}");

if (args.Contains("--no-naive"))
{
    return 0;
}
var naive = Time(() => NaiveScan.Count(BenchSettings.Root));
Console.WriteLine($"naive scan of the files             {Seconds(naive.Elapsed)}  ({naive.Value:N0} matches)");
return 0;

static (T Value, TimeSpan Elapsed) Time<T>(Func<T> action)
{
    var clock = Stopwatch.StartNew();
    var value = action();
    return (value, clock.Elapsed);
}

// Median and best of 7 after one warm-up: on a shared machine the best is the least disturbed measurement.
static (TimeSpan Median, TimeSpan Best) Median(Action action)
{
    action();
    var times = Enumerable.Range(0, 7).Select(_ => Time(() => { action(); return 0; }).Elapsed).Order().ToList();
    return (times[times.Count / 2], times[0]);
}

// Other work on the machine changes every number here; the load average says how much there was.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

static string Millis((TimeSpan Median, TimeSpan Best) t) =>
    $"{t.Median.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms median, {t.Best.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture)} ms best of 7";

namespace Expt.Benchmarks
{
    /// <summary>Where the synthetic root is and how big, from the command line or the environment.</summary>
    internal static class BenchSettings
    {
        public static string Root { get; private set; } = Path.Combine(Path.GetTempPath(), "expt-bench-results");

        public static int Jobs { get; private set; } = 100_000;

        public static int JobsPerRun { get; private set; } = 5_000;

        public static void Parse(string[] args)
        {
            for (var i = 0; i + 1 < args.Length; i++)
            {
                if (args[i] == "--root") Root = Path.GetFullPath(args[i + 1]);
                if (args[i] == "--jobs") Jobs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                if (args[i] == "--jobs-per-run") JobsPerRun = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
            if (Environment.GetEnvironmentVariable("EXPT_BENCH_ROOT") is { Length: > 0 } root) Root = Path.GetFullPath(root);
        }
    }
}
