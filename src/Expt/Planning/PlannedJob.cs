using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>
/// The unit of execution: variant × stage × cell × shard. Plain data that any executor can run.
/// </summary>
/// <param name="Id">Unique id; equal to <paramref name="RelativeDirectory"/> with '/' separators.</param>
/// <param name="Variant">The variant it belongs to.</param>
/// <param name="Stage">The stage it runs.</param>
/// <param name="Cell">The fan-out values of this cell, in axis order (empty for a single cell).</param>
/// <param name="ShardIndex">0-based shard index.</param>
/// <param name="ShardCount">Number of shards of its cell (1 when not sharded).</param>
/// <param name="IsMerge">True for the merge job that runs after all shards of a cell.</param>
/// <param name="RelativeDirectory">Directory below the run directory, '/'-separated.</param>
/// <param name="Needs">Ids of the jobs that must succeed first.</param>
/// <param name="Args">How the job's params reach its command (the stage's <c>args:</c>, else the spec's); part of its <see cref="Identity"/>.</param>
public sealed record PlannedJob(
    string Id,
    Variant Variant,
    StageDefinition Stage,
    IReadOnlyList<KeyValuePair<string, JsonNode?>> Cell,
    int ShardIndex,
    int ShardCount,
    bool IsMerge,
    string RelativeDirectory,
    IReadOnlyList<string> Needs,
    ArgsMode Args)
{
    private string? _identity;

    // A copy made with `with` may change what the identity hashes: it starts without the original's cached one.
    private PlannedJob(PlannedJob original)
    {
        (Id, Variant, Stage, Cell, ShardIndex, ShardCount) = (original.Id, original.Variant, original.Stage, original.Cell, original.ShardIndex, original.ShardCount);
        (IsMerge, RelativeDirectory, Needs, Args) = (original.IsMerge, original.RelativeDirectory, original.Needs, original.Args);
    }

    /// <summary>
    /// Hash of everything that changes the job's result (resume compares it). Computed when first asked for: a dry run
    /// that prints no identity never hashes its jobs.
    /// </summary>
    public string Identity => _identity ??= JobIdentity.Compute(CommandTemplate, Args, Variant.Kind, Config, new ShardSlot(ShardIndex, ShardCount, IsMerge));

    /// <summary>The command template this job runs (<c>merge</c> for a merge job).</summary>
    public string CommandTemplate => IsMerge ? Stage.Merge! : Stage.Run;

    /// <summary>The params and cell values the job receives (without <c>output_dir</c>, which depends on the run).</summary>
    public IEnumerable<KeyValuePair<string, JsonNode?>> Config => Variant.Values.Concat(Cell);

    /// <summary>A short label: variant, stage and cell.</summary>
    public string DisplayName => Id;
}
