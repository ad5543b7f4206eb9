using Expt.Archiving;

namespace Expt.Tests.Archiving;

public sealed class ArchivePlannerTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-planner");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_dropped_directory_holding_an_always_kept_file_when_planned_then_only_that_file_and_its_directory_are_kept()
    {
        // Given: a Hugging Face style checkpoint with its own config.json.
        _dir.File("v0/checkpoint-500/config.json", "{}");
        _dir.File("v0/checkpoint-500/model.safetensors", new string('w', 1000));
        _dir.File("v0/checkpoint-500/trainer_state.json", "{\"step\": 500}");

        // When
        var plan = ArchivePlanner.Plan(_dir.Path, [Glob.Parse("**/checkpoint-*")]);

        // Then
        plan.KeptFiles.Select(e => e.RelativePath).ShouldBe(["v0/checkpoint-500/config.json"]);
        plan.DroppedFiles.Select(e => e.RelativePath).ShouldBe(["v0/checkpoint-500/model.safetensors", "v0/checkpoint-500/trainer_state.json"]);
        plan.Entries.Single(e => e.RelativePath == "v0/checkpoint-500").Kept.ShouldBeTrue();
        plan.Protected.Single().ProtectedFrom.ShouldBe("**/checkpoint-*");
        plan.DroppedBytes.ShouldBe(1000 + 13);
    }

    [Fact]
    public void Given_hidden_files_and_no_drops_when_planned_then_everything_is_kept_and_sized()
    {
        _dir.File(".expt/spec.original.yaml", "abc");
        _dir.File("v0/.hidden", "12345");

        var plan = ArchivePlanner.Plan(_dir.Path, []);

        plan.KeptFiles.Select(e => e.RelativePath).ShouldBe([".expt/spec.original.yaml", "v0/.hidden"]);
        plan.KeptBytes.ShouldBe(8);
        plan.DroppedFiles.ShouldBeEmpty();
    }
}
