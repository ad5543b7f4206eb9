using System.Text.Json.Nodes;
using Expt.Execution;
using Expt.Execution.Local;
using Expt.Planning;
using Expt.Slurm;
using Expt.Slurm.Client;

namespace Expt.Cli.Commands;

/// <summary>Which executor runs a plan: <c>--executor</c>, else the spec's <c>executor.type</c>, else local.</summary>
internal static class ExecutorChoice
{
    public const string Local = "local";
    public const string Slurm = "slurm";

    /// <summary>The executor's name, or null with a problem when it is unknown.</summary>
    public static string? Name(string? option, Plan plan, out string? problem)
    {
        problem = null;
        var fromSpec = plan.Definition.Executor.TryGetValue("type", out var t) && t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var name = option ?? fromSpec ?? Local;
        if (name is Local or Slurm) return name;
        problem = option is not null
            ? $"--executor {option}: expected local or slurm"
            : $"executor.type '{fromSpec}' in the spec: expected local or slurm";
        return null;
    }

    public static IExecutor Create(string name, TimeProvider time) => name == Slurm
        ? new SlurmExecutor(new SlurmCli(), time)
        : new LocalExecutor(new ProcessJobLauncher(time), time);
}
