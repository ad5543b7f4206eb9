using Expt.Archiving;

namespace Expt.Tests.Archiving;

public sealed class AlwaysKeptTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-kept");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("config.json")]
    [InlineData("v0/status.json")]
    [InlineData("manifest.json")]
    [InlineData("manifest.journal.jsonl")]
    [InlineData("spec.yaml")]
    [InlineData("run.log")]
    [InlineData("git.diff")]
    [InlineData("git.resume-2.diff")]
    [InlineData("v0/train/stdout.2.log")]
    [InlineData("v0/metrics.json")]
    [InlineData("v0/metrics.jsonl")]
    [InlineData("v0/logs/2026-01-01_task.eval")]
    [InlineData(".expt/spec.original.yaml")]
    [InlineData("v0/.expt/command-1.sh")]
    public void Given_a_config_log_metrics_or_expt_file_when_checked_then_it_is_always_kept(string path) =>
        AlwaysKept.IsAlwaysKept(path, _dir.Combine("missing")).ShouldBeTrue();

    [Theory]
    [InlineData("v0/model.pt")]
    [InlineData("v0/checkpoint-1/optimizer.bin")]
    [InlineData("v0/data.jsonl")]
    public void Given_a_checkpoint_or_data_file_when_checked_then_it_may_be_dropped(string path) =>
        AlwaysKept.IsAlwaysKept(path, _dir.Combine("missing")).ShouldBeFalse();

    [Fact]
    public void Given_json_files_when_checked_then_only_an_inspect_log_is_always_kept()
    {
        var inspect = _dir.File("v0/logs/task.json", """{"version": 2, "status": "success", "eval": {"task": "t", "model": "m", "created": "2026-01-01T00:00:00"}}""");
        var other = _dir.File("v0/tokenizer.json", """{"vocab": {"a": 1}}""");

        AlwaysKept.IsAlwaysKept("v0/logs/task.json", inspect).ShouldBeTrue();
        AlwaysKept.IsAlwaysKept("v0/tokenizer.json", other).ShouldBeFalse();
    }
}
