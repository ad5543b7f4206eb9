using System.Text.Json.Nodes;

namespace Expt.Design;

/// <summary>One succeeded job of an earlier run of the same experiment, with its params and what it cost.</summary>
/// <param name="Run">The run's directory name.</param>
/// <param name="Job">The job id.</param>
/// <param name="Stage">The job's stage.</param>
/// <param name="Params">The job's resolved config (variant params and cell values), by name.</param>
/// <param name="Measures">What it cost.</param>
public sealed record HistoryJob(string Run, string Job, string Stage, IReadOnlyDictionary<string, JsonNode?> Params, JobMeasures Measures);
