using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>Where the default results root is: at the top of the repository that holds a directory, else in it.</summary>
public sealed class ResultsRootTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-rootlib");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_worktree_whose_git_is_a_file_when_asked_from_deep_inside_then_the_default_root_is_at_the_worktree_top()
    {
        // Given a worktree (or submodule): .git is a file naming the real git directory
        _dir.File("wt/.git", "gitdir: /elsewhere/.git/worktrees/wt\n");
        var deep = Directory.CreateDirectory(_dir.Combine("wt", "a", "b")).FullName;

        // When / Then
        ResultsRoot.Default(deep).ShouldBe(_dir.Combine("wt", "results"));
    }

    [Fact]
    public void Given_a_folder_named_git_that_is_no_repository_when_asked_then_it_is_not_taken_for_one()
    {
        // Given an empty .git folder (no HEAD) and a .git file that names no git directory
        Directory.CreateDirectory(_dir.Combine("a", ".git"));
        _dir.File("a/b/.git", "not a pointer\n");
        var inner = _dir.Combine("a", "b");

        // When / Then the directory itself holds the results
        ResultsRoot.RepositoryTop(inner).ShouldBeNull();
        ResultsRoot.Default(inner).ShouldBe(Path.Combine(inner, "results"));
    }

    [Fact]
    public void Given_a_results_option_when_resolved_then_it_wins_and_is_made_absolute()
    {
        ResultsRoot.Resolve("rel", _dir.Path).ShouldBe(Path.GetFullPath("rel"));
    }
}
