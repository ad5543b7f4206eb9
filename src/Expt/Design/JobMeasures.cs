namespace Expt.Design;

/// <summary>What one finished job cost, as history keeps it.</summary>
/// <param name="WallSeconds">Wall seconds over all attempts.</param>
/// <param name="CpuSeconds">User + system CPU seconds, when measured.</param>
/// <param name="GpuSeconds">Wall seconds × GPUs held.</param>
/// <param name="PeakRssMb">Peak resident memory, MiB, when measured.</param>
/// <param name="OutputBytes">Bytes under the job's directory when it ended, when recorded.</param>
public sealed record JobMeasures(double WallSeconds, double? CpuSeconds, double? GpuSeconds, double? PeakRssMb, long? OutputBytes);
