using Expt.Internal;

namespace Expt.Execution.Preparation;

/// <summary>What a run's preparation asks of the machine it runs on: its defaults and its GPUs.</summary>
/// <param name="Defaults">The execution options before the command line changes them.</param>
/// <param name="Commands">Runs <c>nvidia-smi -L</c> to find the GPUs.</param>
/// <param name="HasNvidiaSmi">True when <c>nvidia-smi</c> is installed: GPUs are then looked for even when no job asks for one.</param>
public sealed record RunMachine(ExecutionOptions Defaults, ICommandRunner Commands, bool HasNvidiaSmi)
{
    /// <summary>This machine.</summary>
    public static RunMachine This() => new(ExecutionOptions.ForThisMachine(), CommandRunner.Instance, File.Exists("/usr/bin/nvidia-smi"));
}
