using Expt.Execution;
using Expt.Planning;
using Expt.Slurm.Tests.Support;
using Expt.Testing;

namespace Expt.Slurm.Tests.Unit;

/// <summary>The SLURM executor checks the spec's <c>executor:</c> settings into typed problems, located where the spec sets them.</summary>
public sealed class SlurmValidationTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-slurm-validate");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_bad_mem_and_a_bad_partition_when_validated_then_each_problem_names_its_field_and_line()
    {
        // Given a spec whose executor block sets mem on line 6 and partition on line 7
        var spec = _dir.File("experiment.yaml", "experiment: tiny\nargs: none\nrun: \"true\"\nexecutor:\n  type: slurm\n  mem: lots\n  partition: a b\n");
        var prepared = ExperimentPreparer.Prepare(PlanRequest.For(spec) with { Executors = SlurmRegistration.Executors() });
        prepared.IsSuccess.ShouldBeTrue(string.Join("\n", prepared.Errors));

        // When
        var problems = new SlurmExecutor(new FakeSlurm(), TimeProvider.System).Validate(prepared.Plan!, ExecutionOptions.ForThisMachine());

        // Then
        problems.Select(p => (p.Field, p.Location?.Line, p.Message)).ShouldBe(
        [
            ("executor.mem", 6, "expected a size such as 16G or 512M; got 'lots'"),
            ("executor.partition", 7, "'a b' contains white space"),
        ]);
    }
}
