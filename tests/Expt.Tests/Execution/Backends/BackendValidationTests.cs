using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Tests.Execution.Backends;

/// <summary>
/// A backend checks its own <c>executor:</c> settings into typed problems (field, location, message) that reach the
/// run's outcome as they are: nothing on the way reads them back from text.
/// </summary>
public sealed class BackendValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-validate");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_a_setting_the_test_backend_refuses_when_the_plan_is_run_then_the_outcome_has_the_field_and_where_the_spec_sets_it()
    {
        // Given a registry of this test only, and a spec that sets the backend's shell on line 5
        var executors = new ExecutorRegistry();
        executors.Register(SubprocessBackend.BackendName, () => new SubprocessBackend());
        var spec = _dir.File("experiment.yaml", "experiment: tiny\nargs: none\nrun: \"true\"\nexecutor:\n  type: subprocess\n  shell: bash\n");
        var prepared = ExperimentPreparer.Prepare(PlanRequest.For(spec) with { Executors = executors });
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Errors));
        var engine = new RunEngine(executors.Find(SubprocessBackend.BackendName)!.CreateExecutor(TimeProvider.System), Support.NoGit.Instance, TimeProvider.System);

        // When
        using var stop = new RunStop();
        var outcome = await engine.RunAsync(prepared.Plan!, new RunRequest(_dir.Combine("results"), "r1", null, false, false, "test"), ExecutionOptions.ForThisMachine(), NullRunObserver.Instance, stop);

        // Then the problem arrives typed, and nothing was written
        var problem = outcome.Errors.ShouldHaveSingleItem();
        problem.Field.ShouldBe("executor.shell");
        problem.Location.ShouldNotBeNull().Line.ShouldBe(6);
        problem.Message.ShouldBe("expected sh; got 'bash'");
        Directory.Exists(_dir.Combine("results")).ShouldBeFalse();
    }
}
