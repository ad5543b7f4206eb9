using System.Reflection;
using PublicApiGenerator;

namespace Expt.Tests.PublicApi;

/// <summary>
/// The public API of Expt.dll is kept in Expt.approved.txt so that a change to it is a reviewed line in a diff,
/// never a side effect. Accept a deliberate change with EXPT_ACCEPT_API=1 (see docs/architecture.md).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_of_Expt_matches_the_approved_listing()
    {
        var api = Assembly.Load("Expt").GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false });

        ApprovedFile.Match(api, "Expt", "EXPT_ACCEPT_API");
    }
}
