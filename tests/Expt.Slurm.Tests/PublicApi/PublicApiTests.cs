using System.Reflection;
using Expt.Testing;
using PublicApiGenerator;

namespace Expt.Slurm.Tests.PublicApi;

/// <summary>
/// The public API of Expt.Slurm.dll is kept in Expt.Slurm.approved.txt so that a change to it is deliberate.
/// Accept one with EXPT_ACCEPT_API=1 (see docs/architecture.md). Needs no cluster.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_of_Expt_Slurm_matches_the_approved_listing()
    {
        var api = Assembly.Load("Expt.Slurm").GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });

        ApprovedFile.Match(api, "Expt.Slurm", "EXPT_ACCEPT_API");
    }
}
