#!/usr/bin/env dotnet
// A C# entry point: reads its config from the flags Expt appends (and config.json), fits a polynomial of degree
// `rank` by gradient descent, and writes metrics.json in its output directory.
#:project ../../src/Expt/Expt.csproj
#:include config.cs
#:property PublishAot=false

using System.Globalization;
using System.Text.Json;
using Expt.Suites;

TrainConfig config;
try
{
    config = ExperimentConfig.Parse<TrainConfig>(args);
}
catch (ConfigParseException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var points = File.ReadLines(config.DataPath).Skip(1).Where(l => l.Length > 0)
    .Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
    .Take(config.Limit ?? int.MaxValue).ToList();
var random = new Random((int)config.Seed);
var weights = Enumerable.Range(0, config.Rank + 1).Select(_ => random.NextDouble() - 0.5).ToArray();
var velocity = new double[weights.Length];
double Predict(double x) => weights.Select((w, i) => w * Math.Pow(x, i)).Sum();
for (var step = 0; step < config.Steps; step++)
{
    var order = config.Shuffle ? points.OrderBy(_ => random.Next()).ToList() : points;
    foreach (var p in order.Take(16))
    {
        var error = Predict(p[0]) - p[1];
        for (var i = 0; i < weights.Length; i++)
        {
            var gradient = error * Math.Pow(p[0], i);
            velocity[i] = (config.Optimizer == Optimizer.momentum ? 0.9 * velocity[i] : 0) + config.LearningRate * gradient;
            weights[i] -= velocity[i];
        }
    }
}
var loss = points.Average(p => Math.Pow(Predict(p[0]) - p[1], 2));
Directory.CreateDirectory(config.OutputDir!);
var metrics = new Dictionary<string, double> { ["loss"] = loss, ["steps"] = config.Steps };
// Written whole, then renamed: a reader never sees half a file.
var temp = Path.Combine(config.OutputDir!, "metrics.json.tmp");
File.WriteAllText(temp, JsonSerializer.Serialize(metrics));
File.Move(temp, Path.Combine(config.OutputDir!, "metrics.json"), overwrite: true);
Console.WriteLine($"rank {config.Rank} lr {config.LearningRate} {config.Optimizer}: loss {loss:F4}");
return 0;
