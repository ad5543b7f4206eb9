using Expt.Catalog;
using Expt.Recording;

namespace Expt.Tests.Catalog;

/// <summary>Each job's cost (wall, CPU, GPU, peak memory, output) is in the catalog, to list, filter and sort on.</summary>
[Collection(CatalogEnvironment.Name)]
public sealed class CatalogCostTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-catalog-cost");

    public void Dispose() => _dir.Dispose();

    private string Root => _dir.Combine("results");

    private static IReadOnlyList<JobRow> Jobs(string root, string? where = null, string? sort = null) =>
        CatalogStore.Use(root, (store, _) => CatalogQuery.Jobs(store, new CatalogFilter(Where: where, Sort: sort)));

    private void WriteRun()
    {
        RunFiles.Write(Root, "cost", "20260102_030405_0123456",
        [
            new JobSpec("small", JobState.Succeeded, new Dictionary<string, object> { ["size"] = 1 })
            {
                Accounting = new JobAccounting(12.5, 10.25, 300.5, 25),
                OutputBytes = 1_000_000,
            },
            new JobSpec("big", JobState.Succeeded, new Dictionary<string, object> { ["size"] = 5 })
            {
                Accounting = new JobAccounting(60, 55, 1200, 120),
                OutputBytes = 5_000_000_000,
            },
            new JobSpec("old", JobState.Succeeded, new Dictionary<string, object> { ["size"] = 3 }),
        ]);
    }

    [Fact]
    public void Given_jobs_with_accounting_and_output_in_status_json_when_listed_then_each_row_has_its_cost()
    {
        // Given
        WriteRun();

        // When
        var jobs = Jobs(Root).ToDictionary(j => j.Id);

        // Then: duration is the wall time over every attempt (the accounting's), not the last attempt's 30 s.
        var small = jobs["small"];
        (small.Duration, small.CpuSeconds, small.GpuSeconds, small.PeakRssMb, small.OutputBytes).ShouldBe((12.5, 10.25, 25.0, 300.5, 1_000_000L));
        jobs["big"].OutputBytes.ShouldBe(5_000_000_000L);
        // A status.json written before these were recorded: no figure, not zero.
        var old = jobs["old"];
        (old.CpuSeconds, old.GpuSeconds, old.PeakRssMb, old.OutputBytes).ShouldBe((null, null, null, null));
        old.Duration.ShouldBe(30);
    }

    [Fact]
    public void Given_jobs_with_cost_when_filtered_and_sorted_on_it_then_the_fields_work_as_numbers()
    {
        // Given
        WriteRun();

        // When
        var large = Jobs(Root, "output_bytes > 1e9");
        var byMemory = Jobs(Root, sort: "-peak_rss_mb");
        var cheap = Jobs(Root, "cpu_seconds < 20 and gpu_seconds >= 25");

        // Then
        large.Select(j => j.Id).ShouldBe(["big"]);
        byMemory.Select(j => j.Id).ShouldBe(["big", "small", "old"]);
        cheap.Select(j => j.Id).ShouldBe(["small"]);
    }
}
