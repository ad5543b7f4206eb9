using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>
/// The versioned identity of a job: a hash of everything that changes its result (command, args mode,
/// params, cell, shard, kind) and nothing that does not (parallelism, resources, timeouts, retries).
/// Resume compares identities computed the same way from the plan and from the manifest.
/// </summary>
public static class JobIdentity
{
    /// <summary>Bumped when the hashed content changes meaning, so old runs are recognised as different.</summary>
    public const int Version = 1;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Computes the identity of the job at <paramref name="shard"/> of its cell.</summary>
    public static string Compute(string command, ArgsMode args, string kind, IEnumerable<KeyValuePair<string, JsonNode?>> config, ShardSlot shard)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(config);
        var (shardIndex, shardCount, isMerge) = shard;
        // Written straight to bytes, field by field, exactly as the compact JSON of the object {v, command, args, kind,
        // shard, merge, config} that version 1 hashes (no node tree, no copies): a plan of 100,000 jobs hashes each once.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", Version);
            writer.WriteString("command", command);
            writer.WriteString("args", args.ToString());
            writer.WriteString("kind", kind);
            writer.WriteString("shard", $"{shardIndex}/{shardCount}");
            writer.WriteBoolean("merge", isMerge);
            writer.WritePropertyName("config");
            writer.WriteStartObject();
            var sorted = config.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
            for (var i = 0; i < sorted.Count; i++)
            {
                // A key given twice (a cell axis named like a param) keeps its last value, as setting it twice would.
                if (i + 1 < sorted.Count && sorted[i + 1].Key == sorted[i].Key) continue;
                writer.WritePropertyName(sorted[i].Key);
                ParamValues.Write(writer, sorted[i].Value);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return $"v{Version}:" + Convert.ToHexStringLower(hash[..8]);
    }
}

/// <summary>Where a job sits among its cell's shards.</summary>
/// <param name="Index">0-based shard index (0 for a merge).</param>
/// <param name="Count">Number of shards of the cell (1 when not sharded).</param>
/// <param name="IsMerge">True for the job that merges the shards.</param>
public readonly record struct ShardSlot(int Index, int Count, bool IsMerge);
