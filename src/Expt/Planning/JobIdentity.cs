using System.Security.Cryptography;
using System.Text;
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

    /// <summary>Computes the identity of the job at <paramref name="shard"/> of its cell.</summary>
    public static string Compute(string command, ArgsMode args, string kind, IEnumerable<KeyValuePair<string, JsonNode?>> config, ShardSlot shard)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (shardIndex, shardCount, isMerge) = shard;
        var obj = new JsonObject
        {
            ["v"] = Version,
            ["command"] = command,
            ["args"] = args.ToString(),
            ["kind"] = kind,
            ["shard"] = $"{shardIndex}/{shardCount}",
            ["merge"] = isMerge,
        };
        var values = new JsonObject();
        foreach (var (k, v) in config.OrderBy(kv => kv.Key, StringComparer.Ordinal)) values[k] = ParamValues.Clone(v);
        obj["config"] = values;
        var bytes = Encoding.UTF8.GetBytes(ParamValues.ToCompactJson(obj));
        return $"v{Version}:" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
    }
}

/// <summary>Where a job sits among its cell's shards.</summary>
/// <param name="Index">0-based shard index (0 for a merge).</param>
/// <param name="Count">Number of shards of the cell (1 when not sharded).</param>
/// <param name="IsMerge">True for the job that merges the shards.</param>
public readonly record struct ShardSlot(int Index, int Count, bool IsMerge);
