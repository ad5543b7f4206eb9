using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// The default results root is anchored to the repository (or the spec), not to the directory a command is typed in:
/// real processes in real directories and git repositories.
/// </summary>
public sealed partial class ResultsRootTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly TempDirectory _dir = new("expt-root");

    public void Dispose() => _dir.Dispose();

    private const string Spec = "experiment: anchored\nrun: \"true\"\nargs: none\n";

    private static async Task<string> Expt(string cwd, params string[] args)
    {
        var (code, output, error) = await ExptProcess.RunAsync(cwd, Limit, args);
        code.ShouldBe(0, $"expt {string.Join(' ', args)} in {cwd}:\n{output}\n{error}");
        return output;
    }

    private static IEnumerable<string> ListedRuns(string json) => JsonNode.Parse(json)!.AsArray().Select(r => r!["run"]!.GetValue<string>());

    [Fact]
    public async Task Given_a_spec_in_a_git_repository_when_run_from_another_directory_of_it_then_results_go_to_the_top_and_every_directory_lists_them()
    {
        // Given a repository with the spec in exp/ and an unrelated directory elsewhere/
        var repo = _dir.Combine("repo");
        _dir.File("repo/exp/experiment.yaml", Spec);
        _dir.File("repo/elsewhere/deeper/notes.txt", "x\n");
        GitRepo.InitAndCommit(repo);
        var elsewhere = Path.Combine(repo, "elsewhere", "deeper");

        // When the run is started from elsewhere/deeper, and listed from exp/ and from the top
        await Expt(elsewhere, "run", "../../exp/experiment.yaml", "--run-id", "r1");
        var fromSpecDir = await Expt(Path.Combine(repo, "exp"), "ls", "--json");
        var fromTop = await Expt(repo, "ls", "--json");
        var shown = await Expt(elsewhere, "show", "anchored/r1");

        // Then it is in results/ at the top, nowhere else, and every directory of the repository finds it
        Directory.Exists(Path.Combine(repo, "results", "anchored", "r1")).ShouldBeTrue();
        Directory.Exists(Path.Combine(elsewhere, "results")).ShouldBeFalse();
        Directory.Exists(Path.Combine(repo, "exp", "results")).ShouldBeFalse();
        ListedRuns(fromSpecDir).ShouldBe(["r1"]);
        ListedRuns(fromTop).ShouldBe(["r1"]);
        shown.ShouldContain("r1");
    }

    [Fact]
    public async Task Given_a_spec_outside_any_repository_when_run_from_another_directory_then_results_go_next_to_the_spec()
    {
        // Given
        _dir.File("spec/experiment.yaml", Spec);
        var cwd = Directory.CreateDirectory(_dir.Combine("cwd")).FullName;

        // When
        await Expt(cwd, "run", "../spec/experiment.yaml", "--run-id", "r1");

        // Then
        Directory.Exists(_dir.Combine("spec", "results", "anchored", "r1")).ShouldBeTrue();
        Directory.Exists(Path.Combine(cwd, "results")).ShouldBeFalse();
        ListedRuns(await Expt(_dir.Combine("spec"), "ls", "--json")).ShouldBe(["r1"]);
    }

    [Fact]
    public async Task Given_EXPT_RESULTS_or_the_results_option_when_run_in_a_repository_then_they_win_over_the_default()
    {
        // Given
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/exp/experiment.yaml", Spec);
        GitRepo.InitAndCommit(repo);
        var env = new Dictionary<string, string> { ["EXPT_RESULTS"] = _dir.Combine("from-env") };

        // When
        var byEnv = await ExptProcess.RunAsync(repo, env, Limit, "run", spec, "--run-id", "e");
        var byOption = await ExptProcess.RunAsync(repo, env, Limit, "run", spec, "--run-id", "o", "--results", _dir.Combine("from-option"));

        // Then
        byEnv.Code.ShouldBe(0, byEnv.Error);
        byOption.Code.ShouldBe(0, byOption.Error);
        Directory.Exists(_dir.Combine("from-env", "anchored", "e")).ShouldBeTrue();
        Directory.Exists(_dir.Combine("from-option", "anchored", "o")).ShouldBeTrue();
        Directory.Exists(Path.Combine(repo, "results")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_the_quickstart_in_a_repository_with_its_gitignore_when_run_twice_from_different_directories_then_the_second_run_is_clean_and_nothing_is_left_untracked()
    {
        // Given a copy of the quickstart and of the repository's .gitignore, committed
        var repo = _dir.Combine("repo");
        Copy(Path.Combine(DryRunTests.RepoRoot(), "examples", "quickstart"), Path.Combine(repo, "examples", "quickstart"));
        File.Copy(Path.Combine(DryRunTests.RepoRoot(), ".gitignore"), Path.Combine(repo, ".gitignore"));
        GitRepo.InitAndCommit(repo);

        // When it runs from examples/, then from the top as the README says (one seed each: what is written is the same for more)
        await Expt(Path.Combine(repo, "examples"), "run", "quickstart/experiment.yaml", "--run-id", "a", "-p", "4", "--seeds", "1");
        await Expt(repo, "run", "examples/quickstart/experiment.yaml", "--run-id", "b", "-p", "4", "--seeds", "1");

        // Then both runs are in the one results root, the second found the tree clean, and git sees nothing new
        var b = JsonNode.Parse(File.ReadAllText(Path.Combine(repo, "results", "quickstart", "b", "manifest.json")))!;
        Directory.Exists(Path.Combine(repo, "results", "quickstart", "a")).ShouldBeTrue();
        b["git"]!["dirty"]!.GetValue<bool>().ShouldBeFalse();
        GitRepo.Git(repo, "status", "--porcelain", "--untracked-files=all").ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_readme_when_its_commands_write_files_then_the_repository_ignores_every_one_of_them()
    {
        // Given the README's commands that write a file (-o/--output), and a repository with this one's .gitignore
        var readme = File.ReadAllText(Path.Combine(DryRunTests.RepoRoot(), "README.md"));
        var targets = OutputOption().Matches(readme).Select(m => m.Groups["path"].Value).Distinct().ToList();
        var repo = Directory.CreateDirectory(_dir.Combine("repo")).FullName;
        File.Copy(Path.Combine(DryRunTests.RepoRoot(), ".gitignore"), Path.Combine(repo, ".gitignore"));
        GitRepo.Git(repo, "init", "-q");

        // Then there are some, and a later run would not count any of them as a change to the tree
        targets.ShouldNotBeEmpty();
        foreach (var target in targets)
        {
            var ignored = GitRepo.TryGit(repo, "check-ignore", "-q", "--no-index", target);
            ignored.ShouldBeTrue($"README writes {target}, which git does not ignore: the next run would be dirty");
        }
    }

    [GeneratedRegex(@"(?:\s-o|--output)\s+(?<path>[^\s`&|;]+)")]
    private static partial Regex OutputOption();

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "results" or "__pycache__")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
