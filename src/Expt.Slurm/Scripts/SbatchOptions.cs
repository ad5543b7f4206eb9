using System.Globalization;
using Expt.Specs;

namespace Expt.Slurm.Scripts;

/// <summary>A stage's sbatch options: the executor block's defaults, overridden by the stage's resources and timeout.</summary>
internal static class SbatchOptions
{
    /// <summary>The options every array of <paramref name="stage"/> is submitted with (array, dependency and begin come per array).</summary>
    public static IReadOnlyList<string> For(string experiment, StageDefinition stage, SlurmSettings settings, string runDir)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(settings);
        var r = stage.Resources;
        var options = new List<string>
        {
            $"--job-name={experiment}.{stage.Name}",
            // SLURM's own log of the array script (the job's output goes to its stdout.log/stderr.log).
            $"--output={Path.Combine(SlurmPaths.Logs(runDir), "%A_%a.out")}",
            "--open-mode=append",
            $"--chdir={SlurmPaths.Folder(runDir)}",
            // Whatever the cluster's DependencyParameters, a job whose upstream failed ends (as blocked) instead of pending forever.
            "--kill-on-invalid-dep=yes",
        };
        if (settings.Partition is { } partition) options.Add($"--partition={partition}");
        if (settings.Account is { } account) options.Add($"--account={account}");
        if (settings.Qos is { } qos) options.Add($"--qos={qos}");
        if (settings.Constraint is { } constraint) options.Add($"--constraint={constraint}");
        if (TimeLimit(stage, settings) is { } time) options.Add($"--time={FormatTime(time)}");
        if ((r.Cpus ?? settings.Cpus) is { } cpus) options.Add($"--cpus-per-task={cpus.ToString(CultureInfo.InvariantCulture)}");
        if ((r.MemoryMb ?? settings.MemoryMb) is { } mem) options.Add($"--mem={mem.ToString(CultureInfo.InvariantCulture)}M");
        var gpus = r.Gpus > 0 ? r.Gpus : settings.Gpus ?? 0;
        if (gpus > 0) options.Add($"--gres=gpu:{gpus.ToString(CultureInfo.InvariantCulture)}");
        options.AddRange(settings.ExtraOptions);
        return options;
    }

    /// <summary>
    /// The job's time limit: the shorter of the stage's <c>timeout</c> (per attempt; one SLURM job is one attempt)
    /// and <c>resources.time</c>, else the executor's <c>time</c>.
    /// </summary>
    public static TimeSpan? TimeLimit(StageDefinition stage, SlurmSettings settings)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(settings);
        TimeSpan?[] limits = [stage.Timeout, stage.Resources.Time];
        var declared = limits.Where(l => l is not null).Select(l => l!.Value).ToList();
        return declared.Count > 0 ? declared.Min() : settings.Time;
    }

    /// <summary>SLURM counts time limits in whole minutes: rounded up, written as <c>D-HH:MM:00</c>.</summary>
    public static string FormatTime(TimeSpan time)
    {
        var minutes = Math.Max(1, (long)Math.Ceiling(time.TotalMinutes - 1e-9));
        var days = minutes / (24 * 60);
        var hours = minutes / 60 % 24;
        var mins = minutes % 60;
        return string.Create(CultureInfo.InvariantCulture, $"{days}-{hours:D2}:{mins:D2}:00");
    }
}
