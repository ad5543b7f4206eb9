using Expt.Planning;
using Expt.Specs;

namespace Expt.Tests.Support;

/// <summary>Loads and plans spec text written to a temp directory.</summary>
public static class SpecText
{
    public static SpecLoadResult Load(TempDirectory dir, string yaml) =>
        SpecLoader.Load(dir.File("experiment.yaml", yaml));

    public static ExperimentDefinition Definition(TempDirectory dir, string yaml)
    {
        var result = Load(dir, yaml);
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.Definition!;
    }

    public static Plan Plan(TempDirectory dir, string yaml, PlanRequest? request = null)
    {
        var path = dir.File("experiment.yaml", yaml);
        var prepared = ExperimentPreparer.Prepare(request is null ? PlanRequest.For(path) : request with { SpecPath = path });
        prepared.Errors.ShouldBeEmpty(string.Join("\n", prepared.Errors));
        return prepared.Plan!;
    }

    public static PreparedPlan Prepare(TempDirectory dir, string yaml, PlanRequest? request = null)
    {
        var path = dir.File("experiment.yaml", yaml);
        return ExperimentPreparer.Prepare(request is null ? PlanRequest.For(path) : request with { SpecPath = path });
    }
}
