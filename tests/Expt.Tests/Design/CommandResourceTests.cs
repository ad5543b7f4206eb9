using Expt.Design;
using Expt.Planning;

namespace Expt.Tests.Design;

/// <summary>
/// The program and script each stage's <c>run</c> starts, as found before anything runs: resolved, exists,
/// executable; a missing one after a <c>needs</c> is a note; a command whose text does not tell is "not checked".
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CommandResourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-commands");

    public CommandResourceTests()
    {
        Executable(_dir.File("bin/mytool", "#!/bin/sh\ntrue\n"));
        _dir.File("train.py", "print(1)\n");
    }

    public void Dispose() => _dir.Dispose();

    private static string Executable(string file)
    {
        File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserExecute);
        return file;
    }

    private IReadOnlyList<ResourceCheck> Verify(string stages)
    {
        var plan = DesignPlans.Plan(_dir, $"experiment: study\nargs: none\nmatrix:\n  lr: [0.1, 0.2]\nparams:\n  lr: 0.1\n{stages}");
        return ResourceVerifier.Verify(plan, WalkLimits.Default, _dir.Combine("bin")).Where(c => c.Kind != ResourceKind.Path).ToList();
    }

    [Fact]
    public void Given_a_program_on_path_and_its_script_when_verified_then_both_are_resolved_and_usable()
    {
        // When
        var checks = Verify("run: mytool train.py\n");

        // Then mytool is no interpreter: only the program is read
        var program = checks.ShouldHaveSingleItem();
        program.ShouldBe(new ResourceCheck(ResourceKind.Program, "mytool", _dir.Combine("bin", "mytool"), true, new FileInfo(_dir.Combine("bin", "mytool")).Length, null, false, true, "run (all 2 variants)", null));
    }

    [Fact]
    public void Given_a_script_that_is_not_executable_run_through_an_interpreter_when_verified_then_it_is_no_problem()
    {
        // Given an interpreter on PATH
        Executable(_dir.File("bin/python3", "#!/bin/sh\ntrue\n"));

        // When
        var checks = Verify("run: python3 -u train.py\n");

        // Then
        checks.Select(c => (c.Kind, c.Path, c.Exists, c.Executable, c.Problem)).ShouldBe(
        [
            (ResourceKind.Program, "python3", true, true, null),
            (ResourceKind.Script, "train.py", true, true, null),
        ]);
        checks[1].ResolvedPath.ShouldBe(_dir.Combine("train.py"));
    }

    [Fact]
    public void Given_a_program_that_is_not_executable_when_verified_then_it_exists_and_is_a_problem()
    {
        // Given
        _dir.File("tool.sh", "true\n");

        // When
        var check = Verify("run: ./tool.sh --fast\n").ShouldHaveSingleItem();

        // Then
        check.Exists.ShouldBeTrue();
        check.Executable.ShouldBe(false);
        check.ResolvedPath.ShouldBe(_dir.Combine("tool.sh"));
        check.Problem.ShouldBe($"program './tool.sh' is not executable ({_dir.Combine("tool.sh")}); make it executable (chmod +x) or name its interpreter (e.g. sh ./tool.sh)");
    }

    [Fact]
    public void Given_a_missing_script_in_a_first_stage_and_in_a_stage_with_needs_when_verified_then_only_the_first_is_a_problem()
    {
        // Given
        Executable(_dir.File("bin/bash", "#!/bin/sh\ntrue\n"));

        // When
        var checks = Verify("stages:\n  prepare:\n    run: bash prepare.sh\n  train:\n    needs: [prepare]\n    run: bash generated.sh\n");

        // Then
        var first = checks.Single(c => c.Path == "prepare.sh");
        first.Exists.ShouldBeFalse();
        first.Problem.ShouldBe($"script 'prepare.sh' does not exist; bash would look for {_dir.Combine("prepare.sh")}");
        first.UsedBy.ShouldBe("stage prepare (all 2 variants)");
        var generated = checks.Single(c => c.Path == "generated.sh");
        generated.Exists.ShouldBeFalse();
        generated.Problem.ShouldBeNull();
        generated.Note.ShouldBe($"script 'generated.sh' does not exist; bash would look for {_dir.Combine("generated.sh")}; it may be created by stage 'prepare', which runs first");
        checks.Single(c => c.Path == "bash").UsedBy.ShouldBe("stages prepare, train (all 2 variants)");
    }

    [Theory]
    [InlineData("mytool --a | tee log", "mytool --a | tee log", "not checked: not one simple command (a list, pipeline, subshell, substitution, here-document or several lines)")]
    [InlineData("\"{stage.prepare.dir}/tool\"", "{stage.prepare.dir}/tool", "not checked: the program has a placeholder, an expansion or a glob")]
    [InlineData("cd sub", "cd sub", "not checked: 'cd' is a shell keyword or builtin; what it runs is not read")]
    public void Given_a_command_whose_text_does_not_tell_what_it_starts_when_verified_then_it_is_listed_as_not_checked_with_why(string run, string path, string note)
    {
        // When
        var check = Verify($"stages:\n  prepare:\n    run: {run}\n").ShouldHaveSingleItem();

        // Then
        check.Checked.ShouldBeFalse();
        check.Problem.ShouldBeNull();
        check.Path.ShouldBe(path);
        check.Note.ShouldBe(note);
    }

    [Fact]
    public void Given_an_interpreter_given_a_module_when_verified_then_the_program_is_checked_and_the_script_is_not()
    {
        // Given
        Executable(_dir.File("bin/python3", "#!/bin/sh\ntrue\n"));

        // When
        var checks = Verify("run: python3 -m pkg.train\n");

        // Then
        checks[0].Path.ShouldBe("python3");
        checks[0].Checked.ShouldBeTrue();
        checks[1].Kind.ShouldBe(ResourceKind.Script);
        checks[1].Checked.ShouldBeFalse();
        checks[1].Note.ShouldBe("not checked: python3 option '-m' (inline code, a module, or an option not known to take no value) leaves the script unknown");
    }

    [Fact]
    public void Given_a_stage_left_out_by_only_when_verified_then_what_it_runs_is_not_listed()
    {
        // Given
        var plan = Expt.Tests.Support.SpecText.Plan(_dir, "experiment: study\nstages:\n  a:\n    run: ./missing-a\n  b:\n    run: ./missing-b\n",
            new PlanRequest("", [], [], ["b"], []) { CheckExistence = false });

        // When
        var checks = ResourceVerifier.Verify(plan);

        // Then
        checks.ShouldHaveSingleItem().Path.ShouldBe("./missing-b");
        checks[0].UsedBy.ShouldBe("stage b");
    }
}
