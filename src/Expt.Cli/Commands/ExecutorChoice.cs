using System.Text.Json.Nodes;
using Expt.Execution;
using Expt.Execution.Local;
using Expt.Planning;
using Expt.Slurm;
using Expt.Slurm.Client;

namespace Expt.Cli.Commands;

/// <summary>
/// Which executor runs a plan: <c>--executor</c>, else (on resume) the one the run was started with, else the
/// spec's <c>executor.type</c>, else local. A run is never resumed on another executor: jobs still queued in
/// SLURM would look lost to the local one and run twice.
/// </summary>
internal static class ExecutorChoice
{
    public const string Local = "local";
    public const string Slurm = "slurm";

    /// <summary>The executor's name, or null with a problem when it is unknown or differs from the resumed run's.</summary>
    public static string? Name(string? option, Plan plan, string? resumedWith, out string? problem)
    {
        problem = null;
        var fromSpec = plan.Definition.Executor.TryGetValue("type", out var t) && t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var name = option ?? resumedWith ?? fromSpec ?? Local;
        if (resumedWith is not null && name != resumedWith)
        {
            problem = $"--executor {name}: the run was started with the {resumedWith} executor; resume it with --executor {resumedWith}";
            return null;
        }
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
