#!/usr/bin/env dotnet
// A suite as code: the config record (config.cs), a matrix of variants and a control, run by the same engine as
// `expt run experiment.yaml`, with the same options: dotnet run suite.cs -- --dry-run | -p 2 | --resume latest …
#:project ../../src/Expt.Cli/Expt.Cli.csproj
#:include config.cs
#:property PublishAot=false

using Expt.Suites;

var cases = Matrix.Of(new TrainConfig { Tags = ["demo", "a,b"] })
    .Vary(c => c.Rank, 1, 3)
    .Vary(c => c.Optimizer, Optimizer.sgd, Optimizer.momentum)
    .Exclude(c => c.Rank == 1 && c.Optimizer == Optimizer.momentum)
    .Control("baseline", new TrainConfig { Rank = 1, Steps = 1 })
    .Name("r{rank}_{optimizer}")
    .Seeds(1, 2);

return await Suite.RunCliAsync(args, cases, "dotnet run train.cs --", "csharp-suite");
