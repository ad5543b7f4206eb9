using Expt.Execution.Backends;

namespace Expt.Slurm.Tests.Support;

/// <summary>The backends of these tests, as the CLI builds them at start-up: local and SLURM, so specs may name it.</summary>
internal static class SlurmRegistration
{
    /// <summary>A new registry of local and SLURM.</summary>
    internal static ExecutorRegistry Executors()
    {
        var executors = new ExecutorRegistry();
        executors.Register(SlurmBackend.BackendName, () => new SlurmBackend());
        return executors;
    }
}
