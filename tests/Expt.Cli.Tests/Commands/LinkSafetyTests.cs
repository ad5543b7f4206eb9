using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// Expt never writes outside the results root through a symbolic link in a run, and <c>collect:</c> never moves files
/// from outside it: real runs, real links to a real "elsewhere" that must come out unchanged.
/// </summary>
public sealed class LinkSafetyTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-linksafe");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private string Elsewhere => _dir.Combine("elsewhere");

    private string Run => Path.Combine(Results, "links", "r");

    private static string[] Tree(string dir) =>
        Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Select(f => new FileInfo(f).LinkTarget is { } to ? $"{Path.GetRelativePath(dir, f)} -> {to}"
                : File.Exists(f) ? $"{Path.GetRelativePath(dir, f)}={File.ReadAllText(f)}" : Path.GetRelativePath(dir, f) + "/")
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>A run of two jobs, a and b, whose job a fails.</summary>
    private async Task<string> FailedRunAsync()
    {
        var spec = _dir.File("links/experiment.yaml", """
            experiment: links
            params:
              m: { type: string, default: a }
            matrix: { m: [a, b] }
            name: "{m}"
            run: echo ran {m}; test {m} = b
            args: none
            """);
        var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");
        run.ExitCode.ShouldBe(1, run.Out + run.Error);
        return spec;
    }

    /// <summary>Moves <paramref name="relative"/> of the run to "elsewhere" and links it back, as a researcher short of space does.</summary>
    private string MoveOutAndLink(string relative)
    {
        var inRun = Path.Combine(Run, relative);
        var outside = Path.Combine(Elsewhere, relative.Replace('/', '_'));
        Directory.CreateDirectory(Elsewhere);
        Directory.Move(inRun, outside);
        Directory.CreateSymbolicLink(inRun, outside);
        return outside;
    }

    [Fact]
    public async Task Given_a_runs_expt_folder_moved_out_and_linked_back_when_resumed_then_it_is_refused_naming_the_link_and_nothing_out_there_changes()
    {
        // Given
        var spec = await FailedRunAsync();
        var outside = MoveOutAndLink(".expt");
        var before = Tree(outside);

        // When
        var resumed = await CliHarness.RunAsync("run", spec, "--results", Results, "--resume", "r");

        // Then
        resumed.ExitCode.ShouldBe(2, resumed.Out + resumed.Error);
        resumed.Error.ShouldContain($"{Path.Combine(Run, ".expt")} is a symbolic link (to {outside})");
        resumed.Error.ShouldContain("never writes a run's own files through a link");
        Tree(outside).ShouldBe(before, "the lock and its info file were not taken out there");
    }

    [Fact]
    public async Task Given_a_failed_jobs_directory_moved_out_and_linked_back_when_resumed_then_it_is_refused_and_the_job_is_not_rerun_out_there()
    {
        // Given
        var spec = await FailedRunAsync();
        var outside = MoveOutAndLink("a");
        var before = Tree(outside);

        // When
        var resumed = await CliHarness.RunAsync("run", spec, "--results", Results, "--resume", "r");

        // Then
        resumed.ExitCode.ShouldBe(2, resumed.Out + resumed.Error);
        resumed.Error.ShouldContain($"{Path.Combine(Run, "a")} is a symbolic link (to {outside})");
        Tree(outside).ShouldBe(before, "no config.json, status.json or stdout.log was written through the link");
    }

    [Fact]
    public async Task Given_an_experiment_directory_that_links_outside_the_root_when_a_new_run_starts_then_it_is_refused_and_nothing_is_created_there()
    {
        // Given
        var spec = _dir.File("links/experiment.yaml", "experiment: links\nrun: \"true\"\nargs: none\n");
        Directory.CreateDirectory(Elsewhere);
        Directory.CreateDirectory(Results);
        Directory.CreateSymbolicLink(Path.Combine(Results, "links"), Elsewhere);

        // When
        var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");

        // Then
        run.ExitCode.ShouldBe(2, run.Out + run.Error);
        run.Error.ShouldContain($"{Path.Combine(Results, "links")} is a symbolic link (to {Elsewhere})");
        Directory.EnumerateFileSystemEntries(Elsewhere).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_saved_spec_name_that_links_to_a_file_outside_when_a_forced_resume_saves_the_old_spec_then_the_file_keeps_its_bytes()
    {
        // Given: the name a forced resume saves the replaced spec under is a link to someone's file.
        var spec = _dir.File("links/experiment.yaml", "experiment: links\nparams:\n  lr: { type: float, default: 0.1 }\nrun: \"true\"\n");
        (await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r")).ExitCode.ShouldBe(0);
        var precious = _dir.File("precious.txt", "mine");
        var saved = Path.Combine(Run, ".expt", "spec.before-resume-1.yaml");
        File.CreateSymbolicLink(saved, precious);
        _dir.File("links/experiment.yaml", "experiment: links\nparams:\n  lr: { type: float, default: 0.2 }\nrun: \"true\"\n");

        // When
        var resumed = await CliHarness.RunAsync("run", spec, "--results", Results, "--resume", "r", "--force");

        // Then
        resumed.ExitCode.ShouldBe(0, resumed.Out + resumed.Error);
        File.ReadAllText(precious).ShouldBe("mine");
        new FileInfo(saved).LinkTarget.ShouldBeNull("the link is replaced by the saved spec");
        File.ReadAllText(saved).ShouldContain("default: 0.1");
    }

    [Fact]
    public async Task Given_a_pending_jobs_directory_that_links_outside_when_cancelled_then_cancel_refuses_naming_it_and_writes_nothing_out_there()
    {
        // Given: job a recorded as never started (a runner killed early), its directory moved out and linked back.
        await FailedRunAsync();
        var status = Path.Combine(Run, "a", "status.json");
        var pending = JsonNode.Parse(File.ReadAllText(status))!.AsObject();
        pending["state"] = "pending";
        pending.Remove("reason");
        File.WriteAllText(status, pending.ToJsonString());
        var outside = MoveOutAndLink("a");
        var before = Tree(outside);

        // When
        var cancel = await CliHarness.RunAsync("cancel", "r", "--results", Results);

        // Then
        cancel.ExitCode.ShouldNotBe(0, cancel.Out);
        cancel.Error.ShouldContain($"{Path.Combine(Run, "a")} is a symbolic link (to {outside})");
        Tree(outside).ShouldBe(before, "its status.json was not rewritten out there");
    }

    [Fact]
    public async Task Given_a_job_that_links_a_directory_and_a_file_from_outside_when_collect_runs_then_only_its_own_files_move_and_the_file_link_moves_as_a_link()
    {
        // Given: outside the root, a folder of someone's eval logs; the job links that folder and one of its files.
        var shared = _dir.Combine("shared");
        _dir.File("shared/a.eval", "theirs a");
        _dir.File("shared/deep/b.eval", "theirs b");
        _dir.File("shared/c.eval", "theirs c");
        var before = Tree(shared);
        var spec = _dir.File("links/experiment.yaml", $$"""
            experiment: links
            params:
              m: { type: string, default: x }
            matrix: { m: [x] }
            name: "{m}"
            run: cd $EXPT_OUTPUT_DIR && echo mine > own.eval && ln -s {{shared}} logs && ln -s {{shared}}/c.eval linked.eval
            collect: { pattern: "*.eval", layout: flat }
            args: none
            """);

        // When
        var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");

        // Then
        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        Tree(shared).ShouldBe(before, "nothing is moved out of a linked directory");
        var flat = Path.Combine(Results, "links");
        Directory.GetFiles(flat).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["nogit_x_linked.eval", "nogit_x_own.eval"]);
        File.ReadAllText(Path.Combine(flat, "nogit_x_own.eval")).ShouldBe("mine\n");
        new FileInfo(Path.Combine(flat, "nogit_x_linked.eval")).LinkTarget.ShouldBe($"{shared}/c.eval");
        new DirectoryInfo(Path.Combine(Run, "x", "logs")).LinkTarget.ShouldBe(shared, "the linked directory stays in the job as it was");
    }
}
