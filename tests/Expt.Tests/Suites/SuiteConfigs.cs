using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Expt.Suites;

namespace Expt.Tests.Suites;

public enum Precision { bf16, fp32 }

/// <summary>A config with a param of every type, as a suite's would be.</summary>
public sealed record EveryTypeConfig : ExperimentConfig
{
    public string Model { get; init; } = "llama-1b";

    [Range(1, 64)]
    public int LoraRank { get; init; } = 8;

    public double Lr { get; init; } = 1e-4;

    public bool Shuffle { get; init; }

    public Precision Precision { get; init; } = Precision.bf16;

    public IReadOnlyList<string> Tags { get; init; } = [];

    public List<double> Nums { get; init; } = [1.5, 2];

    public IReadOnlyDictionary<string, string>? Extra { get; init; }

    public Dictionary<string, int> Counts { get; init; } = new() { ["a"] = 1 };

    public int? Limit { get; init; }

    [JsonPropertyName("dp")]
    [PathParam]
    public string DataPath { get; init; } = "data/x y.txt";

    public string? Note { get; init; } = "n";
}

/// <summary>A config whose own rule relates two params.</summary>
public sealed record RuleConfig : ExperimentConfig
{
    [Range(1, 10)]
    public int Rank { get; init; } = 2;

    [Required]
    public string? Model { get; init; } = "m";

    public int Warmup { get; init; }

    public int Steps { get; init; } = 10;

    public override IEnumerable<string> Validate()
    {
        if (Warmup > Steps) yield return $"warmup {Warmup} is longer than steps {Steps}; expected warmup <= steps";
    }
}
