using Expt.Catalog;

namespace Expt.Tests.Catalog;

/// <summary>
/// Commands that rebuild or create the catalog at the same moment take turns (a lock file beside it): none of them
/// fails on the tables another has just made, and each ends with the whole root indexed in the file.
/// </summary>
[Collection(CatalogEnvironment.Name)]
public sealed class ConcurrentCatalogTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _dir = new("expt-concurrent");

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Combine("results");

    [Fact]
    public async Task Given_four_rebuilds_started_at_the_same_moment_when_they_end_then_each_wrote_the_whole_catalog()
    {
        // Given
        for (var i = 0; i < 20; i++) RunFiles.Sweep(Root, runId: $"2026010{i % 10}_0304{i:00}_0123456");
        using var start = new Barrier(4);

        // When
        var rebuilds = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return CatalogStore.Rebuild(Root);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        // Then
        var refreshes = await Task.WhenAll(rebuilds).WaitAsync(Bound);
        foreach (var refresh in refreshes)
        {
            refresh.NotWritten.ShouldBeNull();
            refresh.Jobs.ShouldBe(120);
        }
        CatalogStore.Use(Root, (_, refresh) => refresh).Read.ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_root_without_a_catalog_when_four_listings_start_at_the_same_moment_then_each_lists_every_job_from_the_file()
    {
        // Given
        for (var i = 0; i < 20; i++) RunFiles.Sweep(Root, runId: $"2026010{i % 10}_0304{i:00}_0123456");
        using var start = new Barrier(4);

        // When
        var listings = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return CatalogStore.Use(Root, (store, _) => (store.NotWritten, Jobs: CatalogQuery.Jobs(store, new CatalogFilter()).Count));
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        // Then
        var results = await Task.WhenAll(listings).WaitAsync(Bound);
        results.ShouldAllBe(l => l.NotWritten == null && l.Jobs == 120);
    }
}
