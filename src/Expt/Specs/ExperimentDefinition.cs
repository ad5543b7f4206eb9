using System.Text.Json.Nodes;

namespace Expt.Specs;

/// <summary>How a job receives its params on the command line.</summary>
public enum ArgsMode
{
    /// <summary>Append <c>--param value</c> for every param and <c>--output_dir DIR</c>.</summary>
    Flags,
    /// <summary>Append nothing; the job reads config.json or the environment.</summary>
    None,
}

/// <summary>A matrix factor: a param and the levels it takes.</summary>
public sealed record MatrixFactor(string Param, IReadOnlyList<JsonNode?> Levels, SourceLocation Location);

/// <summary>An <c>exclude</c> entry: variants whose params equal all of these values are dropped.</summary>
public sealed record VariantSelector(IReadOnlyDictionary<string, JsonNode?> Values, SourceLocation Location);

/// <summary>An <c>include</c> entry: an explicit variant (e.g. a control) layered on the defaults.</summary>
/// <param name="Kind">The variant's kind (default <c>default</c>).</param>
/// <param name="Name">The variant's name; when null the name template is applied.</param>
/// <param name="Values">Param values that differ from the defaults.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record IncludeDefinition(string Kind, string? Name, IReadOnlyDictionary<string, JsonNode?> Values, SourceLocation Location);

/// <summary>One fan-out axis of a stage (<c>foreach</c>).</summary>
public sealed record CellAxis(string Name, IReadOnlyList<JsonNode?> Values);

/// <summary>Resources one job of a stage needs.</summary>
/// <param name="Gpus">GPUs per job.</param>
/// <param name="Cpus">CPUs per job, when declared.</param>
/// <param name="MemoryMb">Memory per job in MiB, when declared.</param>
/// <param name="Time">Wall-time limit requested from a scheduler, when declared.</param>
public sealed record ResourceRequest(int Gpus = 0, int? Cpus = null, long? MemoryMb = null, TimeSpan? Time = null)
{
    /// <summary>No resources declared.</summary>
    public static readonly ResourceRequest None = new();
}

/// <summary>Files a stage's jobs produce that are moved into one flat folder (Inspect-style logs).</summary>
/// <param name="Pattern">Glob of files to collect, e.g. <c>*.eval</c>.</param>
/// <param name="Layout">Only <c>flat</c> for now.</param>
public sealed record CollectDefinition(string Pattern, string Layout);

/// <summary>One stage of the pipeline.</summary>
/// <param name="Name">Stage name (safe as a directory name).</param>
/// <param name="Run">The shell command, with placeholders.</param>
/// <param name="Needs">Stages of the same variant that must succeed first.</param>
/// <param name="Kinds">Variant kinds this stage applies to; empty means all.</param>
/// <param name="Foreach">Fan-out axes; empty means one cell.</param>
/// <param name="ForeachByKind">Per-kind replacement of <paramref name="Foreach"/>.</param>
/// <param name="Shards">How many shards each cell runs as.</param>
/// <param name="Merge">Command run once all shards of a cell succeeded.</param>
/// <param name="Resources">What each job needs.</param>
/// <param name="Timeout">Wall-clock limit per attempt.</param>
/// <param name="Retries">Extra attempts after the first.</param>
/// <param name="RetryOn">Which end states are retried.</param>
/// <param name="Args">How params are passed; null inherits the experiment's.</param>
/// <param name="Collect">Flat collection of produced files.</param>
/// <param name="IsImplicit">True for the single stage of a spec that has <c>run:</c> instead of <c>stages:</c>; its jobs live directly in the variant's directory.</param>
/// <param name="Location">Where it is declared.</param>
public sealed record StageDefinition(
    string Name,
    string Run,
    IReadOnlyList<string> Needs,
    IReadOnlyList<string> Kinds,
    IReadOnlyList<CellAxis> Foreach,
    IReadOnlyDictionary<string, IReadOnlyList<CellAxis>> ForeachByKind,
    int Shards,
    string? Merge,
    ResourceRequest Resources,
    TimeSpan? Timeout,
    int Retries,
    IReadOnlyList<string> RetryOn,
    ArgsMode? Args,
    CollectDefinition? Collect,
    bool IsImplicit,
    SourceLocation Location)
{
    /// <summary>The default retry conditions.</summary>
    public static readonly IReadOnlyList<string> DefaultRetryOn = ["failed", "timed_out", "lost"];

    /// <summary>Whether a variant of <paramref name="kind"/> runs this stage.</summary>
    public bool AppliesTo(string kind) => Kinds.Count == 0 || Kinds.Contains(kind, StringComparer.Ordinal);

    /// <summary>The fan-out axes for a variant of <paramref name="kind"/>.</summary>
    public IReadOnlyList<CellAxis> AxesFor(string kind) =>
        ForeachByKind.TryGetValue(kind, out var axes) ? axes : Foreach;
}

/// <summary>
/// An experiment as the engine sees it, independent of the syntax it was written in (YAML spec or C# suite).
/// Produced by <see cref="SpecLoader"/>; turned into jobs by the planner.
/// </summary>
public sealed record ExperimentDefinition
{
    /// <summary>The experiment's name (<c>[a-z0-9][a-z0-9._-]*</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The research question, if given.</summary>
    public string? Question { get; init; }

    /// <summary>The hypothesis, if given.</summary>
    public string? Hypothesis { get; init; }

    /// <summary>Free notes, if given.</summary>
    public string? Notes { get; init; }

    /// <summary>Every param in declaration order; always includes <c>seed</c>.</summary>
    public required IReadOnlyList<ParamDefinition> Params { get; init; }

    /// <summary>Matrix factors in declaration order (the first varies slowest).</summary>
    public IReadOnlyList<MatrixFactor> Matrix { get; init; } = [];

    /// <summary>Exclusions from the matrix.</summary>
    public IReadOnlyList<VariantSelector> Excludes { get; init; } = [];

    /// <summary>Explicit extra variants.</summary>
    public IReadOnlyList<IncludeDefinition> Includes { get; init; } = [];

    /// <summary>
    /// The seeds every variant is crossed with (<c>seeds:</c>, or <c>--seeds N</c> for 1..N), controls included;
    /// empty to run each variant once with its <c>seed</c> param's value, as before seeds existed.
    /// </summary>
    public IReadOnlyList<long> Seeds { get; init; } = [];

    /// <summary>How reports treat the metrics the jobs write (<c>metrics:</c>), in spec order.</summary>
    public IReadOnlyList<MetricDefinition> Metrics { get; init; } = [];

    /// <summary>The id column of the jobs' per-item scores (<c>per_item: { id: COLUMN }</c>); null for the usual names.</summary>
    public string? PerItemId { get; init; }

    /// <summary>The variant-name template, e.g. <c>{model}_r{lora_rank}</c>; null derives names from the matrix.</summary>
    public string? NameTemplate { get; init; }

    /// <summary>Where the template is declared, for error messages.</summary>
    public SourceLocation? NameTemplateLocation { get; init; }

    /// <summary>The pipeline; a spec with <c>run:</c> has a single implicit stage.</summary>
    public required IReadOnlyList<StageDefinition> Stages { get; init; }

    /// <summary>Default args mode for stages.</summary>
    public ArgsMode Args { get; init; } = ArgsMode.Flags;

    /// <summary>Absolute directory jobs start in (the spec's directory unless <c>workdir:</c>).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>Absolute path of the spec file (or suite file).</summary>
    public required string SourcePath { get; init; }

    /// <summary>The executor settings block (<c>executor:</c>), as plain values, for executors to interpret.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Executor { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>Where each <c>executor:</c> setting's value is in the spec, so an executor's complaints can point there.</summary>
    public IReadOnlyDictionary<string, SourceLocation> ExecutorLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>Looks a param up by name.</summary>
    public ParamDefinition? FindParam(string name) => Params.FirstOrDefault(p => p.Name == name);
}
