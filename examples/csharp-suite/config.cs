// The typed config shared by suite.cs (which makes the variants) and train.cs (which reads one back).
using System.ComponentModel.DataAnnotations;
using Expt.Suites;

public enum Optimizer { sgd, momentum }

public sealed record TrainConfig : ExperimentConfig
{
    [Range(1, 64)]
    public int Rank { get; init; } = 2;

    [Range(1e-6, 1.0)]
    public double LearningRate { get; init; } = 0.05;

    public int Steps { get; init; } = 200;

    public Optimizer Optimizer { get; init; } = Optimizer.sgd;

    public bool Shuffle { get; init; } = true;

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, double>? Extra { get; init; }

    public int? Limit { get; init; }

    [PathParam(MustExist = true)]
    public string DataPath { get; init; } = "../quickstart/data/points.csv";

    public override IEnumerable<string> Validate()
    {
        if (Optimizer == Optimizer.momentum && LearningRate > 0.2) yield return "momentum diverges above learning_rate 0.2; expected a smaller learning_rate";
    }
}
