using Expt.Planning;
using Expt.Tests.Support;

namespace Expt.Tests.Design;

/// <summary>Plans made as <c>expt design</c> makes them: without the existence checks, so that what is missing can be listed.</summary>
internal static class DesignPlans
{
    public static Plan Plan(TempDirectory dir, string yaml) =>
        SpecText.Plan(dir, yaml, PlanRequest.For("experiment.yaml") with { CheckExistence = false });
}
