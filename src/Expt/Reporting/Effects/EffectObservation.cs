using System.Text.Json.Nodes;

namespace Expt.Reporting.Effects;

/// <summary>One succeeded job as effects see it: its kind, its params, its replicate and its numeric metrics.</summary>
/// <param name="Kind">The variant's kind (<c>control</c> for a control).</param>
/// <param name="Params">The variant's params (a fanned-out stage's cell values are part of the metric names instead).</param>
/// <param name="Metrics">Finite numeric metrics by their cell-qualified name.</param>
public sealed record EffectObservation(string Kind, IReadOnlyDictionary<string, JsonNode?> Params, IReadOnlyDictionary<string, double> Metrics);
