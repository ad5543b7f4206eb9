using System.Text.Json.Nodes;

namespace Expt.Reporting;

/// <summary>
/// Variants that differ only in the replicate param (or in params left out of the grouping): one row of a study.
/// </summary>
/// <param name="Name">The variant's name for a group of one, else its params (<c>lr=0.1, rank=2</c>).</param>
/// <param name="Kind">The variants' kind; a group never mixes kinds.</param>
/// <param name="Params">The values of the grouping params, in the report's param order.</param>
/// <param name="Variants">The variants, in plan order.</param>
/// <param name="Cost">Compute of every job of these variants, all stages and states.</param>
public sealed record GroupSummary(string Name, string Kind, IReadOnlyDictionary<string, JsonNode?> Params, IReadOnlyList<string> Variants, CostSummary Cost);
