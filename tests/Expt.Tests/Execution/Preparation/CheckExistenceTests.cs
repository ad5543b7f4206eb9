using Expt.Execution;
using Expt.Execution.Preparation;
using Expt.Internal;

namespace Expt.Tests.Execution.Preparation;

/// <summary>
/// <c>expt design</c> plans a study whose dataset or script is missing, to report them as resources: with
/// <see cref="RunPreparationRequest.CheckExistence"/> false those two checks are skipped and nothing else changes;
/// <c>expt run</c> and <c>expt plan</c> (the default) still refuse them as spec errors.
/// </summary>
public sealed class CheckExistenceTests : IDisposable
{
    private const string MissingPath = "experiment: study\nparams:\n  data: { type: path, default: data/missing.csv, must_exist: true }\nrun: \"true\"\n";
    private const string MissingScript = "experiment: study\nstages:\n  prepare:\n    run: python3 trian.py\n";
    private const string Both = "experiment: study\nparams:\n  data: { type: path, default: data/missing.csv, must_exist: true }\nstages:\n  prepare:\n    run: python3 trian.py\n  train:\n    needs: [prepare]\n    run: ./missing-tool\n";
    private readonly TempDirectory _dir = new("expt-exist");

    public void Dispose() => _dir.Dispose();

    private Task<PreparedRun> PrepareAsync(string yaml, bool checkExistence, bool dryRun = true)
    {
        var request = new RunPreparationRequest(_dir.File("s/experiment.yaml", yaml)) { Results = _dir.Combine("results"), DryRun = dryRun, CheckExistence = checkExistence };
        var machine = new RunMachine(ExecutionOptions.ForThisMachine() with { Parallelism = 1 }, new NoCommands(), false);
        return RunPreparation.PrepareAsync(request, new Expt.Execution.Backends.ExecutorRegistry(), machine, CancellationToken.None);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Given_a_missing_must_exist_path_and_a_missing_script_when_prepared_without_existence_checks_then_the_plan_is_made(bool dryRun)
    {
        // When
        var prepared = await PrepareAsync(Both, checkExistence: false, dryRun);

        // Then every job is planned, as if both were there
        prepared.SpecErrors.ShouldBeEmpty();
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Problems));
        prepared.Plan!.Jobs.Select(j => j.Id).ShouldBe(["default/prepare", "default/train"]);
    }

    [Fact]
    public async Task Given_a_missing_must_exist_path_when_prepared_as_expt_run_does_then_it_is_still_a_spec_error()
    {
        // When
        var prepared = await PrepareAsync(MissingPath, checkExistence: true);

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.SpecErrors.ShouldHaveSingleItem().Message.ShouldContain("path 'data/missing.csv' does not exist");
    }

    [Fact]
    public async Task Given_a_missing_script_when_prepared_as_expt_run_does_then_it_is_still_a_spec_error()
    {
        // When
        var prepared = await PrepareAsync(MissingScript, checkExistence: true);

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.SpecErrors.ShouldHaveSingleItem().Message.ShouldContain("script 'trian.py' does not exist");
    }

    [Fact]
    public async Task Given_existence_checks_off_when_the_spec_has_another_error_then_that_error_is_still_reported()
    {
        // Given a missing workdir and a bad default besides the missing script
        var yaml = MissingScript.Replace("stages:", "workdir: nowhere\nparams:\n  lr: { type: float, default: fast }\nstages:", StringComparison.Ordinal);

        // When
        var prepared = await PrepareAsync(yaml, checkExistence: false);

        // Then
        prepared.IsSuccess.ShouldBeFalse();
        prepared.SpecErrors.Select(e => e.Field).ShouldBe(["workdir", "params.lr.default"], ignoreOrder: true);
    }

    [Fact]
    public void Given_existence_checks_off_when_a_definition_is_prepared_directly_then_must_exist_is_not_checked()
    {
        // Given
        var path = _dir.File("d/experiment.yaml", MissingPath);
        var request = Expt.Planning.PlanRequest.For(path);

        // When
        var checkedPlan = Expt.Planning.ExperimentPreparer.Prepare(request);
        var skipped = Expt.Planning.ExperimentPreparer.Prepare(request with { CheckExistence = false });

        // Then
        checkedPlan.Errors.ShouldHaveSingleItem().Field.ShouldBe("params.data");
        skipped.IsSuccess.ShouldBeTrue();
    }

    /// <summary>No command is expected to run while preparing.</summary>
    private sealed class NoCommands : ICommandRunner
    {
        public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"{file} was not expected to run");
    }
}
