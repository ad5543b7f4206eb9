using Expt.Tests.Support;

namespace Expt.Tests.Specs;

public sealed class StageGraphTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-graph");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_stage_needing_itself_and_a_separate_cycle_when_loaded_then_each_is_reported_once()
    {
        // Given
        const string Yaml = """
            experiment: graph
            stages:
              train: { run: "true", needs: [train] }
              c1: { run: "true", needs: [c2] }
              c2: { run: "true", needs: [c1] }
              d1: { run: "true", needs: [d2] }
              d2: { run: "true", needs: [d3] }
              d3: { run: "true", needs: [d1] }
            """;

        // When
        var messages = SpecText.Load(_dir, Yaml).Errors.Select(e => $"{e.Field}: {e.Message}").ToList();

        // Then
        messages.ShouldBe(
        [
            "stages.train.needs: a stage cannot need itself",
            "stages.c1.needs: stages depend on each other in a cycle: c1 -> c2 -> c1",
            "stages.d1.needs: stages depend on each other in a cycle: d1 -> d2 -> d3 -> d1",
        ], ignoreOrder: true);
    }
}
