using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Specs;

/// <summary>The program or script a run command names must exist, when the command's text decides it; nothing else is refused.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ProgramCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-programs");

    public ProgramCheckTests()
    {
        _dir.File("train.py", "print('train')\n");
        _dir.File("src/train.py", "print('train')\n");
        _dir.File("fit.R", "1\n");
        _dir.File("sub/run.sh", "true\n");
        Executable(_dir.File("train.sh", "#!/bin/sh\ntrue\n"));
    }

    public void Dispose() => _dir.Dispose();

    private static string Executable(string file)
    {
        File.SetUnixFileMode(file, File.GetUnixFileMode(file) | UnixFileMode.UserExecute);
        return file;
    }

    private List<string> Errors(string yaml) => SpecText.Load(_dir, yaml).Errors.Select(e => e.ToString()[(_dir.Path.Length + 1)..]).ToList();

    private string Spec(string run) => $"experiment: p\nparams:\n  script: train.py\n  lr: 0.1\nrun: {run}\n";

    [Theory]
    [InlineData("python3 trian.py", "experiment.yaml:5:6: run: script 'trian.py' does not exist (did you mean 'train.py'?); python3 would look for <dir>/trian.py")]
    [InlineData("python3 -u -B src/trian.py --lr 3", "experiment.yaml:5:6: run: script 'src/trian.py' does not exist (did you mean 'src/train.py'?); python3 would look for <dir>/src/trian.py")]
    [InlineData("python3 -X importtime trian.py > out.log 2>&1", "script 'trian.py' does not exist (did you mean 'train.py'?)")]
    [InlineData("CUDA_VISIBLE_DEVICES=0 python3 'trian.py'", "script 'trian.py' does not exist (did you mean 'train.py'?)")]
    [InlineData("bash -eu sub/runn.sh", "run: script 'sub/runn.sh' does not exist (did you mean 'sub/run.sh'?); bash would look for <dir>/sub/runn.sh")]
    [InlineData("./trian.sh --fast", "run: program './trian.sh' does not exist (did you mean './train.sh'?); resolved to <dir>/trian.sh")]
    [InlineData("./train.py", "run: program './train.py' is not executable (<dir>/train.py); make it executable (chmod +x) or name its interpreter (e.g. sh ./train.py)")]
    [InlineData("./sub", "run: program './sub' is a directory (<dir>/sub)")]
    [InlineData("pyhton3 train.py", "run: program 'pyhton3' is not on PATH (did you mean 'python3'?); the job would fail with 'command not found'")]
    [InlineData("zzqxv-nothing --x", "run: program 'zzqxv-nothing' is not on PATH; the job would fail with 'command not found'")]
    public void Given_a_run_naming_a_missing_script_or_program_when_loaded_then_it_is_a_located_spec_error_with_a_suggestion(string run, string expected)
    {
        // When
        var errors = Errors(Spec(run));

        // Then
        var error = errors.ShouldHaveSingleItem();
        error.ShouldContain(expected.Replace("<dir>", _dir.Path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("python3 train.py")]
    [InlineData("python3 train.py > out.log 2>&1")]
    [InlineData("python3 -u src/train.py --lr {lr}")]
    [InlineData("./train.sh")]
    [InlineData("sh train.sh")]
    [InlineData("\"true\"")]
    [InlineData("echo {lr}")]
    [InlineData("python3 {script}")]
    [InlineData("python3 -c \"import sys; sys.exit(0)\"")]
    [InlineData("python3 -m pkg.missing")]
    [InlineData("python3 --some-new-option missing.py")]
    [InlineData("python3 - < missing.py")]
    [InlineData("cd sub && python3 missing.py")]
    [InlineData("python3 missing.py | tee log")]
    [InlineData("\"echo hi; python3 missing.py\"")]
    [InlineData("$PYTHON missing.py")]
    [InlineData("python3 $HOME/missing.py")]
    [InlineData("python3 ~/missing.py")]
    [InlineData("python3 \"$EXPT_CONFIG\"")]
    [InlineData("python3 missing*.py")]
    [InlineData("PATH=/opt/tools:$PATH mytool")]
    [InlineData("time python3 missing.py")]
    [InlineData("exec python3 missing.py")]
    [InlineData("\"{stage.main.dir}/bin/tool\"")]
    [InlineData("|\n  python3 missing.py\n  python3 other.py")]
    [InlineData("python3 <<'EOF'\n  print(1)\n  EOF")]
    public void Given_a_command_that_cannot_be_decided_or_is_right_when_loaded_then_no_error(string run)
    {
        // When
        var errors = Errors(Spec(run));

        // Then
        errors.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_workdir_when_loaded_then_the_script_is_resolved_from_it()
    {
        // Given run.sh is in sub/, train.py only beside the spec
        var good = Errors("experiment: w\nworkdir: sub\nrun: sh run.sh\n");
        var bad = Errors("experiment: w\nworkdir: sub\nrun: python3 train.py\n");

        // Then
        good.ShouldBeEmpty();
        bad.ShouldHaveSingleItem().ShouldContain($"script 'train.py' does not exist; python3 would look for {_dir.Path}/sub/train.py");
    }

    [Fact]
    public void Given_stages_when_loaded_then_a_stage_that_needs_another_is_not_checked_since_an_earlier_stage_may_create_what_it_runs()
    {
        // Given
        var errors = Errors("""
            experiment: s
            stages:
              prepare: { run: python3 prepair.py }
              train: { run: python3 generated.py, needs: [prepare] }
            """);

        // Then
        errors.ShouldBe(["experiment.yaml:3:3: stages.prepare.run: script 'prepair.py' does not exist; python3 would look for " + _dir.Path + "/prepair.py"]);
    }

    [Fact]
    public void Given_a_missing_script_and_other_spec_errors_when_loaded_then_all_are_reported_together_in_file_order()
    {
        // Given
        var errors = Errors("experiment: p\nparams:\n  lr: { type: float, default: fast }\nrun: python3 trian.py\ntimeout: soon\n");

        // Then
        errors.Count.ShouldBe(3, string.Join("\n", errors));
        errors[0].ShouldStartWith("experiment.yaml:3:");
        errors[1].ShouldStartWith("experiment.yaml:4:6: run: script 'trian.py' does not exist");
        errors[2].ShouldStartWith("experiment.yaml:5:");
    }

    [Fact]
    public void Given_a_search_path_when_checked_then_only_an_executable_file_on_it_is_a_program()
    {
        // Given a real PATH directory with an executable tool and a plain file
        Executable(_dir.File("bin/mytool", "#!/bin/sh\n"));
        _dir.File("bin/notatool", "data\n");
        var path = $"/nonexistent:{_dir.Combine("bin")}";

        // When
        var found = ProgramCheck.Problems("mytool --x 1", _dir.Path, path).ToList();
        var plain = ProgramCheck.Problems("notatool", _dir.Path, path).ToList();
        var near = ProgramCheck.Problems("mytoool", _dir.Path, path).ToList();
        var unknownPath = ProgramCheck.Problems("anything", _dir.Path, null).ToList();
        Executable(_dir.File("bin/Rscript", "#!/bin/sh\n"));
        var rscript = ProgramCheck.Problems("Rscript --vanilla fit.r", _dir.Path, path).ToList();

        // Then
        found.ShouldBeEmpty();
        plain.ShouldHaveSingleItem().ShouldStartWith("program 'notatool' is not on PATH");
        near.ShouldHaveSingleItem().ShouldStartWith("program 'mytoool' is not on PATH (did you mean 'mytool'?)");
        unknownPath.ShouldBeEmpty();
        rscript.ShouldBe([$"script 'fit.r' does not exist (did you mean 'fit.R'?); Rscript would look for {_dir.Path}/fit.r"]);
    }
}
