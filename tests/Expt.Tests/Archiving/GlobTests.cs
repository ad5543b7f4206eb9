using Expt.Archiving;

namespace Expt.Tests.Archiving;

public sealed class GlobTests
{
    [Theory]
    [InlineData("*.pt", "model.pt", true)]
    [InlineData("*.pt", "r1/train/model.pt", true)]
    [InlineData("*.pt", "r1/train/model.pt.bak", false)]
    [InlineData("r1/*.pt", "r1/model.pt", true)]
    [InlineData("r1/*.pt", "r1/train/model.pt", false)]
    [InlineData("r1/**/*.pt", "r1/model.pt", true)]
    [InlineData("r1/**/*.pt", "r1/a/b/model.pt", true)]
    [InlineData("**/checkpoint-*", "r1/train/checkpoint-500", true)]
    [InlineData("**/checkpoint-*", "checkpoint-1", true)]
    [InlineData("**/checkpoint-*", "r1/checkpoints", false)]
    [InlineData("r1/**", "r1/a/b", true)]
    [InlineData("r1/**", "r2/a", false)]
    [InlineData("ckpt-?", "a/ckpt-1", true)]
    [InlineData("ckpt-?", "a/ckpt-10", false)]
    [InlineData("a.b", "axb", false)]
    public void Given_a_glob_when_matched_against_a_relative_path_then_star_stays_within_a_segment_and_double_star_crosses_them(string pattern, string path, bool expected) =>
        Glob.Parse(pattern).IsMatch(path).ShouldBe(expected);

    [Fact]
    public void Given_a_glob_matching_a_directory_when_a_file_below_it_is_checked_then_the_glob_covers_it()
    {
        var glob = Glob.Parse("**/checkpoint-*");

        glob.Covers("r1/train/checkpoint-500/optimizer/state.bin").ShouldBeTrue();
        glob.Covers("r1/train/metrics.json").ShouldBeFalse();
    }

    [Theory]
    [InlineData("")]
    [InlineData("/abs/*.pt")]
    public void Given_an_empty_or_absolute_glob_when_parsed_then_it_is_refused(string pattern) =>
        Should.Throw<ArgumentException>(() => Glob.Parse(pattern));
}
