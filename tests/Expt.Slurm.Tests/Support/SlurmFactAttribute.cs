namespace Expt.Slurm.Tests.Support;

/// <summary>
/// A test that needs the real SLURM cluster. xunit 2 has no dynamic skip, so the attribute decides at
/// discovery: skipped (with the reason visible in the results) when <c>sinfo</c> fails, unless
/// <c>EXPT_REQUIRE_SLURM=1</c>, in which case the test runs and fails on the missing cluster.
/// </summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    public SlurmFactAttribute()
    {
        if (SlurmCluster.Unavailable is { } why && !SlurmCluster.Required)
        {
            Skip = $"no SLURM cluster answers ({why}); start one with scripts/slurm/start-cluster.sh, or set {SlurmCluster.RequireVariable}=1 to make this a failure";
        }
    }
}

/// <summary>The tests that use the cluster run one at a time: one of them takes its only node down.</summary>
[CollectionDefinition(Name)]
public sealed class SlurmCollection : ICollectionFixture<SlurmClusterFixture>
{
    public const string Name = "slurm cluster";
}

/// <summary>Makes sure the cluster is up (and its node not left DOWN) before the first SLURM test.</summary>
public sealed class SlurmClusterFixture : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (SlurmCluster.Unavailable is not null) return;
        await SlurmCluster.RunScriptAsync("start-cluster.sh");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
