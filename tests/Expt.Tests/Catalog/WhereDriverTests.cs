using Expt.Catalog;
using Expt.Catalog.Query;

namespace Expt.Tests.Catalog;

/// <summary>Of the param and metric comparisons a query requires, the one fewest jobs pass drives it.</summary>
[Collection(CatalogEnvironment.Name)]
public sealed class WhereDriverTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-driver");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_comparison_every_job_passes_and_one_few_pass_when_the_driver_is_chosen_then_it_is_the_one_few_pass()
    {
        // Given: every job has model llama-1b; one has an accuracy above 0.665
        var root = _dir.Combine("results");
        RunFiles.Sweep(root);
        var expression = WhereParser.Parse("model = llama-1b and accuracy > 0.665");

        // When
        var (driver, jobs) = CatalogStore.Use(root, (store, _) =>
            (WhereDriver.Choose(store.Connection, expression, CatalogQuery.Names(store)), CatalogQuery.Jobs(store, new CatalogFilter(Where: "model = llama-1b and accuracy > 0.665"))));

        // Then
        driver.ShouldNotBeNull().Name.ShouldBe("accuracy");
        jobs.Select(j => j.Id).ShouldBe(["lr0.001_r16"]);
    }

    [Fact]
    public void Given_one_required_comparison_of_a_param_or_metric_when_the_driver_is_chosen_then_there_is_none_to_choose()
    {
        // Given
        var root = _dir.Combine("results");
        RunFiles.Sweep(root);

        // When
        var driver = CatalogStore.Use(root, (store, _) => WhereDriver.Choose(store.Connection, WhereParser.Parse("state = succeeded and accuracy > 0.6"), CatalogQuery.Names(store)));

        // Then
        driver.ShouldBeNull();
    }
}
