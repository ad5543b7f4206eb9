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

    /// <summary>Computes the identity.</summary>
    public static string Compute(string command, ArgsMode args, string kind, IEnumerable<KeyValuePair<string, JsonNode?>> config, int shardIndex, int shardCount, bool isMerge)
    {
        ArgumentNullException.ThrowIfNull(config);
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
