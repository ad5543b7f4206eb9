using System.Text.Json.Nodes;

namespace Expt.Reporting;

/// <summary>A param's value on every side of a comparison (null entries: the side has no such param or job).</summary>
/// <param name="Name">The param.</param>
/// <param name="Values">One value per side, as JSON; <see cref="Present"/> tells a JSON null from a missing param.</param>
/// <param name="Present">Whether each side has the param.</param>
public sealed record ParamRow(string Name, IReadOnlyList<JsonNode?> Values, IReadOnlyList<bool> Present);
