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
    public void Given_a_directory_whose_files_are_all_dropped_when_planned_then_the_directory_is_dropped_too()
    {
        // Given: ckpt/ (and ckpt/old/) hold only checkpoints; empty/ was empty from the start.
        _dir.File("v0/ckpt/step-1.pt", "1");
        _dir.File("v0/ckpt/old/step-0.pt", "0");
        _dir.File("v0/metrics.json", "{}");
        Directory.CreateDirectory(_dir.Combine("v0", "empty"));

        // When
        var plan = ArchivePlanner.Plan(_dir.Path, [Glob.Parse("**/*.pt")]);

        // Then
        plan.Entries.Where(e => e.Kind == ArchiveEntryKind.Directory && e.Kept).Select(e => e.RelativePath).ShouldBe(["v0", "v0/empty"]);
        plan.Entries.Single(e => e.RelativePath == "v0/ckpt").DroppedBy.ShouldBe("**/*.pt");
        plan.Entries.Single(e => e.RelativePath == "v0/ckpt/old").Kept.ShouldBeFalse();
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
