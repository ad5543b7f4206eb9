using System.Text.Json;
using System.Text.Json.Serialization;
using Expt.Internal;
using Expt.Slurm.Tracking;

namespace Expt.Slurm;

/// <summary>Source-generated JSON metadata for the files the SLURM backend keeps (no reflection: trimming- and AOT-safe).</summary>
[JsonSerializable(typeof(SlurmRunInfo))]
[JsonSerializable(typeof(CancelRequest))]
internal sealed partial class SlurmJsonContext : JsonSerializerContext
{
    /// <summary>Expt's file conventions, with these types added.</summary>
    public static JsonSerializerOptions Files => field ??= JsonFiles.Including(Default);
}
