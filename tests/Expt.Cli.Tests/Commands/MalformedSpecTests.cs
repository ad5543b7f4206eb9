using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Every malformed spec gets exit 2, a message naming file:line:column, the field and what was expected, and nothing on disk.</summary>
public sealed class MalformedSpecTests
{
    private const string Head = "experiment: bad\n";

    public static TheoryData<string, string, string, string> Cases => new()
    {
        // name, yaml, expected location prefix, expected message fragment
        { "unknown top-level key", Head + "matrx: { seed: [1, 2] }\nrun: echo\n", "experiment.yaml:2:1", "unknown key 'matrx' (did you mean 'matrix'?)" },
        { "unknown param key", Head + "params:\n  lr: { type: float, defualt: 0.1 }\nrun: echo\n", "experiment.yaml:3:22", "params.lr.defualt: unknown key 'defualt' (did you mean 'default'?)" },
        { "unknown type", Head + "params:\n  n: { type: integr, default: 1 }\nrun: echo\n", "experiment.yaml:3:14", "unknown type 'integr' (did you mean 'int'?)" },
        { "string for an int", Head + "params:\n  n: { type: int, default: abc }\nrun: echo\n", "experiment.yaml:3:28", "params.n.default: expected an int; got 'abc'" },
        { "quoted number for an int", Head + "params:\n  n: { type: int, default: \"5\" }\nrun: echo\n", "experiment.yaml:3:28", "expected an int; got the string \"5\"" },
        { "below the minimum", Head + "params:\n  n: { type: int, default: 0, min: 1 }\nrun: echo\n", "experiment.yaml:3:28", "0 is below the minimum 1 of 'n'" },
        { "enum value not allowed", Head + "params:\n  p: { type: enum, values: [bf16, fp32], default: bf61 }\nrun: echo\n", "experiment.yaml:3:51", "'bf61' is not one of [bf16, fp32] (did you mean 'bf16'?)" },
        { "null without nullable", Head + "params:\n  limit: { type: int, default: null }\nrun: echo\n", "experiment.yaml:3:32", "null is not allowed for int param 'limit'" },
        { "list element of the wrong type", Head + "params:\n  ks: { type: list<int>, default: [1, two] }\nrun: echo\n", "experiment.yaml:3:39", "params.ks.default[1]: expected an int; got 'two'" },
        { "min above max", Head + "params:\n  n: { type: int, default: 1, min: 5, max: 2 }\nrun: echo\n", "experiment.yaml:3:", "min 5 is greater than max 2" },
        { "matrix on an undeclared param", Head + "params:\n  lr: { type: float, default: 0.1 }\nmatrix:\n  lrr: [0.1, 0.2]\nrun: echo\n", "experiment.yaml:5:3", "'lrr' is not a declared param (did you mean 'lr'?)" },
        { "matrix factor that is not a list", Head + "params:\n  lr: { type: float, default: 0.1 }\nmatrix:\n  lr: 0.1\nrun: echo\n", "experiment.yaml:5:7", "expected a list of levels" },
        { "duplicate matrix level", Head + "params:\n  lr: { type: float, default: 0.1 }\nmatrix:\n  lr: [0.1, 0.2, 0.1]\nrun: echo\n", "experiment.yaml:5:18", "duplicate level 0.1" },
        { "exclude with an unknown param", Head + "params:\n  lr: { type: float, default: 0.1 }\nmatrix: { lr: [0.1, 0.2] }\nexclude: [ { l: 0.1 } ]\nrun: echo\n", "experiment.yaml:5:14", "'l' is not a declared param" },
        { "include value of the wrong type", Head + "params:\n  lr: { type: float, default: 0.1 }\ninclude: [ { kind: control, lr: fast } ]\nrun: echo\n", "experiment.yaml:4:33", "include[0].lr: expected a float; got 'fast'" },
        { "duplicate variant names", Head + "params:\n  a: { type: int, default: 1 }\n  b: { type: int, default: 1 }\nmatrix: { a: [1, 2], b: [1, 2] }\nname: \"a{a}\"\nrun: echo\n", "experiment.yaml:6:7", "2 variants are named 'a1'; add {b} to the name template" },
        { "name with a path separator", Head + "params:\n  model: { type: string, default: org/llama }\nname: \"{model}\"\nrun: echo\n", "experiment.yaml:4:7", "variant name 'org/llama' contains a path separator" },
        { "name that is '..'", Head + "include: [ { name: \"..\" } ]\nrun: echo\n", "experiment.yaml:2:", "variant name '..' is a relative directory reference" },
        { "name with a control character", Head + "include: [ { name: \"a\\tb\" } ]\nrun: echo\n", "experiment.yaml:2:", "contains a control character" },
        { "empty name", Head + "include: [ { name: \"\" } ]\nrun: echo\n", "experiment.yaml:2:", "variant name '' is empty" },
        { "no run and no stages", Head + "params:\n  n: { type: int, default: 1 }\n", "experiment.yaml:1:1", "missing 'run' (the command each variant runs) or 'stages'" },
        { "both run and stages", Head + "run: echo\nstages:\n  train: { run: echo }\n", "experiment.yaml:4:3", "either 'run' (one command) or 'stages' (a pipeline), not both" },
        { "unknown placeholder in run", Head + "params:\n  lr: { type: float, default: 0.1 }\nrun: python train.py --x {lrr}\n", "experiment.yaml:4:6", "unknown placeholder '{lrr}' (did you mean 'lr'?)" },
        { "missing must_exist path", Head + "params:\n  data: { type: path, default: data/missing.json, must_exist: true }\nrun: echo\n", "experiment.yaml:3:3", "path 'data/missing.json' does not exist" },
        { "invalid YAML", Head + "params:\n  a: [1, 2\nrun: echo\n", "experiment.yaml:4:", "invalid YAML" },
        { "duplicate key", Head + "run: echo\nrun: echo again\n", "experiment.yaml:3:1", "duplicate key" },
        { "tab as indentation", Head + "params:\n\tlr: 0.1\nrun: echo\n", "experiment.yaml:3:1", "invalid YAML: While scanning a mapping, found invalid tab as indentation" },
        { "aliases that expand past the limit", Head + "run: echo\nexecutor:\n  sbatch:\n    - &a [" + string.Join(", ", Enumerable.Repeat("x", 1000)) + "]\n    - &b [" + string.Join(", ", Enumerable.Repeat("*a", 1000)) + "]\n", "experiment.yaml:6:", "at alias '*a' (which stands for 1,001 nodes) the spec's aliases expand to more than 1,000,000 YAML nodes" },
        { "a script that does not exist", Head + "run: python3 missing.py --lr 1\n", "experiment.yaml:2:6", "run: script 'missing.py' does not exist; python3 would look for " },
        { "a program that is not on PATH", Head + "stages:\n  train: { run: zzqxv-train --fast }\n", "experiment.yaml:3:3", "stages.train.run: program 'zzqxv-train' is not on PATH" },
        { "nesting past the limit", Head + "run: echo\nnotes: " + new string('[', 70) + new string(']', 70) + "\n", "experiment.yaml:3:71", "nested more than 64 levels deep" },
        { "empty file", "", "experiment.yaml:1:1", "the spec is empty" },
        { "bad experiment name", "experiment: Cap LoRA\nrun: echo\n", "experiment.yaml:1:13", "'Cap LoRA' is not a valid experiment name" },
        { "a value the flags cannot carry", Head + "params:\n  opt: { type: string, default: \"-O3\" }\nrun: echo\n", "experiment.yaml:3:3", "value '-O3' starts with '-' and cannot be passed as a flag value" },
        { "every matrix point excluded", Head + "params:\n  a: { type: int, default: 1 }\nmatrix: { a: [1] }\nexclude: [ { a: 1 } ]\nrun: echo\n", "experiment.yaml", "the plan is empty: every matrix point is excluded" },
        { "stage needs an unknown stage", Head + "stages:\n  train: { run: echo }\n  eval: { run: echo, needs: [trian] }\n", "experiment.yaml:4:3", "unknown stage 'trian' (did you mean 'train'?)" },
        { "stages in a cycle", Head + "stages:\n  a: { run: echo, needs: [b] }\n  b: { run: echo, needs: [a] }\n", "experiment.yaml:3:3", "stages depend on each other in a cycle: a -> b -> a" },
        { "unreadable timeout", Head + "run: echo\ntimeout: ten minutes\n", "experiment.yaml:3:10", "expected a positive duration such as 90s, 30m, 2h" },
        { "a kind no variant has", Head + "include: [ { kind: control, name: base } ]\nstages:\n  train: { run: echo, kinds: [contrl] }\n", "experiment.yaml:4:3", "no variant has kind 'contrl' (did you mean 'control'?)" },
        { "a cell axis a kind does not have", Head + "include: [ { kind: control, name: base } ]\nstages:\n  eval:\n    run: echo {epoch}\n    foreach: { epoch: [1] }\n    foreach_by_kind: { control: {} }\n", "experiment.yaml:4:3", "'{epoch}' has no value for variants of kind 'control'" },
        { "reserved param name", Head + "params:\n  output_dir: { type: string, default: x }\nrun: echo\n", "experiment.yaml:3:3", "'output_dir' is reserved by Expt" },
        { "cell values that name the same cell", Head + "stages:\n  eval: { run: \"echo {task}\", foreach: { task: [1, \"1\"] } }\n", "experiment.yaml:3:3", "cell 'task-1' is named twice" },
        { "cell values that differ only in case", Head + "stages:\n  eval: { run: \"echo {task}\", foreach: { task: [A, a] } }\n", "experiment.yaml:3:3", "differs only in letter case" },
        { "unknown executor type", Head + "run: echo\nexecutor: { type: slurmm }\n", "experiment.yaml:3:19", "executor.type: unknown executor 'slurmm' (did you mean 'slurm'?)" },
        { "reserved cell axis name", Head + "stages:\n  eval: { run: \"echo {variant}\", foreach: { variant: [x] } }\n", "experiment.yaml:3:3", "stages.eval.foreach.variant: axis 'variant' is reserved by Expt" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Given_a_malformed_spec_when_run_then_exit_2_with_a_located_message_and_nothing_on_disk(string name, string yaml, string location, string message)
    {
        // Given
        using var dir = new TempDirectory();
        var spec = dir.File("experiment.yaml", yaml);
        var results = dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", results);

        // Then
        result.ExitCode.ShouldBe(2, $"{name}: {result.Error}");
        var line = result.Error.Split('\n').FirstOrDefault(l => l.Contains(message, StringComparison.Ordinal));
        line.ShouldNotBeNull($"{name}: expected '{message}' in:\n{result.Error}");
        line.ShouldContain(location, Case.Sensitive, $"{name}: {line}");
        result.Error.ShouldContain("nothing was run or written");
        Directory.Exists(results).ShouldBeFalse(name);
        Directory.GetFileSystemEntries(dir.Path).ShouldBe([spec], name);
    }

    [Fact]
    public async Task Given_plan_problems_of_different_kinds_when_run_then_all_of_them_are_reported_at_once()
    {
        // Given a required param without a value, two includes of one name, and a level the flags cannot carry
        using var dir = new TempDirectory();
        var spec = dir.File("experiment.yaml", Head + "params:\n  need: { type: int }\n  opt: { type: string, default: a }\nmatrix: { opt: [a, \"-x\"] }\ninclude: [ { name: twin, need: 1 }, { name: twin, need: 2 } ]\nrun: echo\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--dry-run");

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("params.need: has no default");
        result.Error.ShouldContain(":6:37: include.name: 2 variants are named 'twin'; give each include its own name");
        result.Error.ShouldContain("value '-x' starts with '-'");
    }

    [Fact]
    public async Task Given_a_spec_with_several_problems_when_run_then_all_are_reported_together_in_file_order()
    {
        // Given
        using var dir = new TempDirectory();
        var spec = dir.File("experiment.yaml", Head + "params:\n  n: { type: int, default: x }\n  p: { type: enum, values: [a], default: b }\nmatrx: {}\nrun: echo {m}\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--dry-run");

        // Then
        result.ExitCode.ShouldBe(2);
        var errors = result.Error.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        errors.Count.ShouldBe(4, result.Error);
        errors[0].ShouldContain(":3:");
        errors[1].ShouldContain(":4:");
        errors[2].ShouldContain(":5:");
        errors[3].ShouldContain(":6:");
        result.Error.ShouldContain("4 problems found");
    }

    [Fact]
    public async Task Given_a_misspelt_script_when_dry_run_then_exit_2_suggesting_the_script_beside_it_with_the_other_problems()
    {
        // Given twenty variants of a command whose script is misspelt, and a bad default
        using var dir = new TempDirectory();
        dir.File("train.py", "print('ok')\n");
        var spec = dir.File("experiment.yaml", "experiment: typo\nparams:\n  lr: { type: float, default: x }\n  i: 0\nmatrix: { i: [" + string.Join(", ", Enumerable.Range(0, 20)) + "] }\nrun: python3 trian.py\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--dry-run");

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("experiment.yaml:3:31: params.lr.default: expected a float");
        result.Error.ShouldContain($"experiment.yaml:6:6: run: script 'trian.py' does not exist (did you mean 'train.py'?); python3 would look for {dir.Path}/trian.py");
        result.Error.ShouldContain("2 problems found; nothing was run or written.");
        result.Out.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--set", "lrr=0.1", "'lrr' is not a param of 'ok' (did you mean 'lr'?)")]
    [InlineData("--set", "lr=fast", "expected a float; got 'fast'")]
    [InlineData("--set", "lr", "'lr' is not KEY=VALUE")]
    [InlineData("--filter", "model=x", "'model' is not a param of 'ok'")]
    [InlineData("--set", "n=0", "0 is below the minimum 1 of 'n'")]
    public async Task Given_a_bad_command_line_value_when_run_then_exit_2_and_nothing_on_disk(string option, string value, string message)
    {
        // Given
        using var dir = new TempDirectory();
        var spec = dir.File("experiment.yaml", "experiment: ok\nparams:\n  lr: { type: float, default: 0.1 }\n  n: { type: int, default: 1, min: 1 }\nrun: echo\n");
        var results = dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, option, value, "--results", results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(message);
        result.Error.ShouldContain(option);
        Directory.Exists(results).ShouldBeFalse();
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task Given_an_unsafe_run_id_when_run_then_exit_2_and_nothing_on_disk(string runId)
    {
        // Given
        using var dir = new TempDirectory();
        var spec = dir.File("experiment.yaml", "experiment: ok\nrun: echo\n");
        var results = dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--run-id", runId, "--results", results);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain($"--run-id '{runId}'");
        Directory.Exists(results).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_a_missing_spec_file_when_run_then_exit_2()
    {
        // Given / When
        var result = await CliHarness.RunAsync("run", "/nonexistent/experiment.yaml", "--dry-run");

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("spec file not found");
    }
}
