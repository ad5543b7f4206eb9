using Expt.Execution.Preparation;

namespace Expt.Design;

/// <summary>What a design asks of the world besides the spec and the results root: a clock, free disk, the machine's GPUs.</summary>
/// <param name="Time">The clock of the log entries and of <see cref="ExperimentDesign.CreatedAt"/>.</param>
/// <param name="FreeSpace">Free disk at the results root.</param>
/// <param name="Machine">The machine's defaults (parallelism) and its GPUs, found as <c>expt run</c> finds them.</param>
public sealed record DesignServices(TimeProvider Time, IFreeSpaceProbe FreeSpace, RunMachine Machine)
{
    /// <summary>This machine, the system clock and the real free-space probe.</summary>
    public static DesignServices This() => new(TimeProvider.System, new FreeSpaceProbe(), RunMachine.This());
}
