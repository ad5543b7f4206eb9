using System.Runtime.CompilerServices;
using Expt.Execution.Backends;

namespace Expt.Slurm.Tests.Support;

/// <summary>Registers the SLURM backend in this test process, as the CLI does at start-up, so specs may name it.</summary>
internal static class SlurmRegistration
{
#pragma warning disable CA2255 // A test assembly's start-up is exactly what a module initializer is for.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => ExecutorRegistry.Default.Register(SlurmBackend.BackendName, () => new SlurmBackend());
}
