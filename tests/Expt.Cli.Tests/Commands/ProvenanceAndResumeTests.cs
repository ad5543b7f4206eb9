using System.Diagnostics;
using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Git provenance from real repositories, and resume's refusal when the spec changed.</summary>
public sealed class ProvenanceAndResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-git");

    public void Dispose() => _dir.Dispose();

    private static string Git(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "init.defaultBranch=main" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, p.StandardError.ReadToEnd());
        return output.Trim();
    }

    private static JsonNode Manifest(string runDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(runDir, "manifest.json")))!;

    private static string OnlyRun(string results, string experiment) => Directory.GetDirectories(Path.Combine(results, experiment)).Single();

    [Fact]
    public async Task Given_a_clean_repository_when_run_then_the_manifest_and_run_id_carry_the_commit_and_branch_and_no_diff_is_saved()
    {
        // Given
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/exp/experiment.yaml", "experiment: prov\nrun: \"true\"\nargs: none\n");
        Git(repo, "init", "-q");
        Git(repo, "checkout", "-q", "-b", "feature/x");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "spec");
        var head = Git(repo, "rev-parse", "HEAD");
        var results = _dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var run = OnlyRun(results, "prov");
        Path.GetFileName(run).ShouldMatch($"^\\d{{8}}_\\d{{6}}_{head[..7]}$");
        var git = Manifest(run)["git"]!;
        git["commit"]!.GetValue<string>().ShouldBe(head);
        git["branch"]!.GetValue<string>().ShouldBe("feature/x");
        git["dirty"]!.GetValue<bool>().ShouldBeFalse();
        File.Exists(Path.Combine(run, "git.diff")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(run, "default", "config.json")).ShouldContain("output_dir");
    }

    [Fact]
    public async Task Given_a_dirty_repository_when_run_then_git_diff_holds_staged_and_unstaged_changes_and_untracked_names()
    {
        // Given
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/experiment.yaml", "experiment: dirty\nrun: \"true\"\nargs: none\n");
        _dir.File("repo/model.py", "rate = 1\n");
        _dir.File("repo/data.py", "rows = 1\n");
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "start");
        _dir.File("repo/model.py", "rate = 2  # unstaged\n");
        _dir.File("repo/data.py", "rows = 2  # staged\n");
        Git(repo, "add", "data.py");
        _dir.File("repo/notes_untracked.txt", "new\n");
        var results = _dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var run = OnlyRun(results, "dirty");
        Manifest(run)["git"]!["dirty"]!.GetValue<bool>().ShouldBeTrue();
        var diff = File.ReadAllText(Path.Combine(run, "git.diff"));
        diff.ShouldContain("+rate = 2  # unstaged");
        diff.ShouldContain("+rows = 2  # staged");
        diff.ShouldContain("notes_untracked.txt");
    }

    [Fact]
    public async Task Given_results_inside_the_repository_and_not_ignored_when_run_twice_then_earlier_results_neither_dirty_the_tree_nor_fill_git_diff()
    {
        // Given a committed repository whose results root is inside it and not in .gitignore
        var repo = _dir.Combine("inrepo");
        var spec = _dir.File("inrepo/experiment.yaml", "experiment: inside\nrun: \"true\"\nargs: none\n");
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "start");
        var results = Path.Combine(repo, "results");

        // When it runs twice, then once more with an untracked file of the user's
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "a")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "b")).ExitCode.ShouldBe(0);
        _dir.File("inrepo/scratch.py", "x = 1\n");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "c")).ExitCode.ShouldBe(0);

        // Then the second run is clean, and the third's git.diff names the user's file and none of Expt's
        Manifest(Path.Combine(results, "inside", "b"))["git"]!["dirty"]!.GetValue<bool>().ShouldBeFalse();
        var c = Path.Combine(results, "inside", "c");
        Manifest(c)["git"]!["dirty"]!.GetValue<bool>().ShouldBeTrue();
        var diff = File.ReadAllText(Path.Combine(c, "git.diff"));
        diff.ShouldContain("#   scratch.py");
        diff.ShouldNotContain("results/");
    }

    [Fact]
    public async Task Given_a_repository_reached_through_a_symbolic_link_when_run_twice_with_results_inside_then_the_second_run_is_clean()
    {
        // Given a committed repository, used through a link to it, with its results root inside
        var repo = _dir.Combine("real");
        _dir.File("real/experiment.yaml", "experiment: linked\nrun: \"true\"\nargs: none\n");
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "start");
        var link = _dir.Combine("link");
        Directory.CreateSymbolicLink(link, repo);
        var results = Path.Combine(link, "results");

        // When
        (await CliHarness.RunAsync("run", Path.Combine(link, "experiment.yaml"), "--results", results, "--run-id", "a")).ExitCode.ShouldBe(0);
        (await CliHarness.RunAsync("run", Path.Combine(link, "experiment.yaml"), "--results", results, "--run-id", "b")).ExitCode.ShouldBe(0);

        // Then
        Manifest(Path.Combine(results, "linked", "b"))["git"]!["dirty"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Given_no_repository_when_run_then_the_commit_is_nogit()
    {
        // Given
        var spec = _dir.File("plain/experiment.yaml", "experiment: plain\nrun: \"true\"\nargs: none\n");
        var results = _dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", results);

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        var run = OnlyRun(results, "plain");
        Path.GetFileName(run).ShouldEndWith("_nogit");
        Manifest(run)["git"]!["commit"]!.GetValue<string>().ShouldBe("nogit");
    }

    [Fact]
    public async Task Given_a_spec_that_changed_when_resumed_then_it_refuses_with_the_differences_and_force_reruns_the_changed_jobs()
    {
        // Given: a run in which one variant failed.
        var spec = _dir.File("r/experiment.yaml", """
            experiment: change
            params:
              lr: { type: float, default: 0.1 }
              fail: { type: bool, default: false }
            include: [ { name: a }, { name: b, fail: true } ]
            run: python3 -c "import sys; sys.exit(3 if '--fail' in sys.argv and sys.argv[sys.argv.index('--fail') + 1] == 'true' else 0)"
            """);
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "c")).ExitCode.ShouldBe(1);
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("default: 0.1", "default: 0.2"));

        // When
        var dryRun = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest", "--dry-run");
        var refused = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest");
        var forced = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest", "--force", "--set", "fail=false");

        // Then the dry run already says what the resume refuses, with its exit code
        dryRun.ExitCode.ShouldBe(2, dryRun.Out + dryRun.Error);
        dryRun.Error.ShouldContain("changed: a: lr 0.1 -> 0.2");
        refused.ExitCode.ShouldBe(2);
        refused.Error.ShouldContain("the spec now resolves to different jobs than run c");
        refused.Error.ShouldContain("changed: a: lr 0.1 -> 0.2");
        forced.ExitCode.ShouldBe(0, forced.Out + forced.Error);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(results, "change", "c", "a", "config.json")))!;
        config["lr"]!.GetValue<double>().ShouldBe(0.2);
        File.ReadAllText(Path.Combine(results, "change", "c", "run.log")).ShouldContain("RUN_FORCE");
    }

    [Fact]
    public async Task Given_a_forced_resume_that_dropped_a_variant_when_resumed_again_then_the_run_resumes_without_force_and_the_dropped_result_is_kept()
    {
        // Given a run of i in [1, 2, 3] where 3 failed, resumed with --force as [1, 3, 4] (2 dropped, 4 new, 3 fixed)
        var spec = _dir.File("f/experiment.yaml", """
            experiment: retire
            params:
              i: { type: int, default: 0 }
            matrix: { i: [1, 2, 3] }
            name: "v{i}"
            run: echo {i} >> ran.log; test {i} != 3 || test -f fixed
            args: none
            """);
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "f")).ExitCode.ShouldBe(1);
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("[1, 2, 3]", "[1, 3, 4]"));
        File.WriteAllText(_dir.Combine("f", "fixed"), "");
        var forced = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest", "--force");

        // When it is resumed again with the same spec, and with the run's own spec.yaml
        var again = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest");
        var run = Path.Combine(results, "retire", "f");
        var own = await CliHarness.RunAsync("run", Path.Combine(run, "spec.yaml"), "--results", results, "--resume", run);

        // Then neither needs --force, nothing runs twice, and v2's result stays in the run, marked retired
        forced.ExitCode.ShouldBe(0, forced.Out + forced.Error);
        again.ExitCode.ShouldBe(0, again.Out + again.Error);
        own.ExitCode.ShouldBe(0, own.Out + own.Error);
        File.ReadAllLines(_dir.Combine("f", "ran.log")).Order().ShouldBe(["1", "2", "3", "3", "4"]);
        var jobs = Manifest(run)["jobs"]!.AsArray();
        jobs.Select(j => j!["id"]!.GetValue<string>()).ShouldBe(["v1", "v2", "v3", "v4"]);
        jobs.Single(j => j!["id"]!.GetValue<string>() == "v2")!["retired"]!.GetValue<bool>().ShouldBeTrue();
        jobs.Where(j => j!["id"]!.GetValue<string>() != "v2").ShouldAllBe(j => j!["retired"] == null);
        File.Exists(Path.Combine(run, "v2", "status.json")).ShouldBeTrue();
    }

    [Fact]
    public async Task Given_a_forced_resume_that_dropped_a_variant_that_never_ran_when_resumed_then_it_leaves_the_manifest()
    {
        // Given a run filtered to v1, then forced with v2 no longer in the matrix
        var spec = _dir.File("g/experiment.yaml", """
            experiment: drop
            params:
              i: { type: int, default: 0 }
            matrix: { i: [1, 2] }
            name: "v{i}"
            run: "true"
            args: none
            """);
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "g", "--filter", "i=1")).ExitCode.ShouldBe(0);
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("[1, 2]", "[1]"));

        // When
        var forced = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest", "--force");

        // Then
        forced.ExitCode.ShouldBe(0, forced.Out + forced.Error);
        Manifest(Path.Combine(results, "drop", "g"))["jobs"]!.AsArray().Select(j => j!["id"]!.GetValue<string>()).ShouldBe(["v1"]);
    }

    [Fact]
    public async Task Given_a_partly_failed_run_when_resumed_then_only_the_failed_job_runs_again()
    {
        // Given
        var spec = _dir.File("p/experiment.yaml", """
            experiment: partial
            params:
              i: { type: int, default: 0 }
            matrix: { i: [1, 2, 3] }
            name: "v{i}"
            run: echo {i} >> ran.log; test {i} != 2 || test -f fixed
            args: none
            """);
        var results = _dir.Combine("results");
        var first = await CliHarness.RunAsync("run", spec, "--results", results);
        File.WriteAllText(_dir.Combine("p", "fixed"), "");
        var preview = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest", "--dry-run");
        preview.ExitCode.ShouldBe(0, preview.Error);
        preview.Out.ShouldContain("2 of 3 job(s) already succeeded and would be skipped");

        // When
        var resumed = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "latest");

        // Then
        first.ExitCode.ShouldBe(1);
        first.Out.ShouldContain("FAILED v2: exit code 1");
        resumed.ExitCode.ShouldBe(0, resumed.Error);
        File.ReadAllLines(_dir.Combine("p", "ran.log")).Order().ShouldBe(["1", "2", "2", "3"]);
        resumed.Out.ShouldContain("2/3 2 job(s) already succeeded; skipping them", Case.Sensitive, "skipped jobs count as done in the progress");
        resumed.Out.ShouldContain("3/3 succeeded v2");
    }

    [Fact]
    public async Task Given_a_failed_run_when_resumed_by_run_id_alone_then_the_runs_own_spec_is_used()
    {
        // Given
        var spec = _dir.File("s/experiment.yaml", "experiment: alone\nrun: test -f fixed\nargs: none\n");
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "x")).ExitCode.ShouldBe(1);
        File.WriteAllText(_dir.Combine("s", "fixed"), "");

        // When
        var resumed = await CliHarness.RunAsync("run", "--resume", "alone/x", "--results", results);
        var missing = await CliHarness.RunAsync("run", "--results", results);

        // Then
        resumed.ExitCode.ShouldBe(0, resumed.Out + resumed.Error);
        missing.ExitCode.ShouldBe(2);
        missing.Error.ShouldContain("missing SPEC");
    }

    [Fact]
    public async Task Given_new_commits_since_the_run_when_resumed_then_new_jobs_record_the_new_commit_and_the_log_says_so()
    {
        // Given
        var repo = _dir.Combine("repo");
        var spec = _dir.File("repo/experiment.yaml", "experiment: moved\nrun: test -f fixed\nargs: none\n");
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "one");
        var first = Git(repo, "rev-parse", "HEAD");
        var results = _dir.Combine("results");
        (await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "m")).ExitCode.ShouldBe(1);
        _dir.File("repo/fixed", "");
        Git(repo, "add", ".");
        Git(repo, "commit", "-q", "-m", "fix");
        var second = Git(repo, "rev-parse", "HEAD");

        // When
        var resumed = await CliHarness.RunAsync("run", spec, "--results", results, "--resume", "m");

        // Then
        resumed.ExitCode.ShouldBe(0, resumed.Error);
        var run = Path.Combine(results, "moved", "m");
        var manifest = Manifest(run);
        manifest["git"]!["commit"]!.GetValue<string>().ShouldBe(first);
        manifest["resumedWith"]!.AsArray().Single()!["commit"]!.GetValue<string>().ShouldBe(second);
        var attempts = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "default", "status.json")))!["attempts"]!.AsArray();
        attempts.Select(a => a!["commit"]!.GetValue<string>()).ShouldBe([first, second]);
        File.ReadAllText(Path.Combine(run, "run.log")).ShouldContain("RUN_GIT_CHANGED");
    }
}
