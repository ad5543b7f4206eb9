namespace Expt.Design;

/// <summary>Where an estimate comes from.</summary>
public enum EstimateBasis
{
    /// <summary>The median of earlier jobs of the same stage with identical params (seed aside).</summary>
    SameParams,

    /// <summary>A fit over the numeric params that vary, within the range seen.</summary>
    Fit,

    /// <summary>A fit over the numeric params that vary, outside the range seen.</summary>
    Extrapolated,

    /// <summary>The median of every earlier job of the same stage.</summary>
    StageMedian,

    /// <summary>No earlier job of this stage: no figure.</summary>
    NoHistory,
}

/// <summary>The estimated cost of one planned job; every figure is null when there is no history for it.</summary>
/// <param name="WallSeconds">Wall seconds.</param>
/// <param name="CpuSeconds">CPU seconds.</param>
/// <param name="GpuSeconds">GPU seconds.</param>
/// <param name="PeakRssMb">Peak resident memory, MiB.</param>
/// <param name="OutputBytes">Bytes written under the job's directory.</param>
/// <param name="Basis">Where the figures come from.</param>
/// <param name="N">How many earlier jobs they rest on.</param>
/// <param name="Detail">The basis in words, e.g. <c>power law in size (sizes 1–5)</c>.</param>
public sealed record JobEstimate(
    double? WallSeconds,
    double? CpuSeconds,
    double? GpuSeconds,
    double? PeakRssMb,
    long? OutputBytes,
    EstimateBasis Basis,
    int N,
    string Detail)
{
    /// <summary>The estimate of a job with no history.</summary>
    public static readonly JobEstimate None = new(null, null, null, null, null, EstimateBasis.NoHistory, 0, "no history");
}
