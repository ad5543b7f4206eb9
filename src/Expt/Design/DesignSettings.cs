namespace Expt.Design;

/// <summary>How the designed study would run.</summary>
/// <param name="Parallel">Most jobs at once (<c>-p</c>).</param>
/// <param name="GpuSlots">GPUs jobs may use (<c>--gpus</c>, else what the machine has).</param>
/// <param name="Executor">Where jobs run (<c>local</c>, <c>slurm</c>).</param>
/// <param name="RunArguments">The arguments to give <c>expt run</c> after the spec for the same plan (<c>--set</c>, <c>--filter</c>, <c>--only</c>, <c>-p</c>, …).</param>
public sealed record DesignSettings(int Parallel, int GpuSlots, string Executor, IReadOnlyList<string> RunArguments);
