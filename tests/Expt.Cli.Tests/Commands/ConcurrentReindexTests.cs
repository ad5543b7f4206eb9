using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Real <c>expt reindex</c> processes started together take turns with the catalog, and each succeeds.</summary>
public sealed class ConcurrentReindexTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new("expt-reindex");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_three_reindexes_started_together_when_they_end_then_each_saved_the_whole_catalog()
    {
        // Given: a run of 40 jobs, copied to make 10 runs
        var results = _dir.Combine("results");
        var spec = _dir.File("many/experiment.yaml", "experiment: many\nparams:\n  i: { type: int, default: 0 }\nmatrix:\n  i: [" + string.Join(", ", Enumerable.Range(0, 40)) + "]\nname: \"v{i}\"\nrun: \"true\"\nargs: none\n");
        var run = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "r0", "-p", "8");
        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        for (var i = 1; i < 10; i++) Copy(Path.Combine(results, "many", "r0"), Path.Combine(results, "many", $"r{i}"));

        // When
        var reindexes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ExptProcess.RunAsync(_dir.Path, Limit, "reindex", "--results", results)));

        // Then
        foreach (var (code, output, error) in reindexes)
        {
            code.ShouldBe(0, error);
            output.ShouldStartWith("Indexed 10 run(s), 400 job(s)");
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
