using Expt.Catalog;

namespace Expt.Tests.Catalog;

/// <summary>
/// One job's hostile file (a FIFO, an Inspect log that expands to gigabytes) costs the catalog that file only: the
/// refresh returns, names the file, and every other job of the root is listed.
/// </summary>
[Collection(CatalogEnvironment.Name)]
public sealed class CatalogUnreadFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-unread");

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Combine("results");

    [Fact]
    public void Given_a_fifo_metrics_json_and_an_eval_bomb_in_two_jobs_when_the_catalog_is_built_then_all_jobs_are_listed_and_both_files_named()
    {
        // Given
        string run = RunFiles.Sweep(Root);
        string fifoJob = Path.Combine(run, "lr0.001_r4");
        File.Delete(Path.Combine(fifoJob, "metrics.json"));
        string fifo = Fifo.Make(Path.Combine(fifoJob, "metrics.json"));
        string bomb = Path.Combine(run, "lr0.001_r16", "logs", "bomb.eval");
        ZipBomb.Write(bomb, "header.json", """{"version": 2, "status": "success", "plan": """ + "\"", (byte)'x', 2560, "\"}");

        // When
        var (refresh, jobs) = Fifo.Within(() => CatalogStore.Use(Root, (store, r) => (r, CatalogQuery.Jobs(store, new CatalogFilter()))), fifo);

        // Then
        refresh.Problems.ShouldBeEmpty();
        refresh.NotRead.Count.ShouldBe(2);
        refresh.NotRead.ShouldContain(n => n.StartsWith(fifo + ": is not a regular file", StringComparison.Ordinal));
        refresh.NotRead.ShouldContain(n => n.StartsWith(bomb + ": could not be read as an Inspect log: header.json expands to 2.5 GiB", StringComparison.Ordinal));
        jobs.Count.ShouldBe(6);
        jobs.Single(j => j.Id == "lr0.001_r4").Metrics.ShouldBeEmpty();
        jobs.Single(j => j.Id == "lr0.001_r16").Metrics["accuracy"].Number!.Value.ShouldBe(0.67, 1e-9);
    }
}
