using System.Globalization;

namespace Expt.Slurm;

/// <summary>Where the SLURM executor keeps its files: the run's <c>.expt/slurm/</c> folder and each job's <c>.expt/</c> folder.</summary>
internal static class SlurmPaths
{
    /// <summary>SLURM's default MaxArraySize: indices 0…1000.</summary>
    public const int DefaultMaxArraySize = 1001;

    public static string Folder(string runDir) => Path.Combine(runDir, ".expt", "slurm");

    public static string Logs(string runDir) => Path.Combine(Folder(runDir), "logs");

    public static string RunInfo(string runDir) => Path.Combine(Folder(runDir), "executor.json");

    public static string CancelMarker(string runDir) => Path.Combine(Folder(runDir), "cancel.json");

    public static string ArrayScript(string runDir, int number) => Path.Combine(Folder(runDir), $"array-{number.ToString("D4", CultureInfo.InvariantCulture)}.sbatch");

    public static string IndexFile(string runDir, int number) => Path.Combine(Folder(runDir), $"array-{number.ToString("D4", CultureInfo.InvariantCulture)}.tsv");

    /// <summary>The next unused array number of a run (numbers are never reused, so files are never overwritten).</summary>
    public static int NextArrayNumber(string runDir)
    {
        var folder = Folder(runDir);
        if (!Directory.Exists(folder)) return 1;
        var max = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "array-*.tsv"))
        {
            var name = Path.GetFileNameWithoutExtension(file)["array-".Length..];
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) max = Math.Max(max, n);
        }
        return max + 1;
    }

    public static string Control(string jobDir) => Path.Combine(jobDir, ".expt");

    public static string JobWrapper(string jobDir) => Path.Combine(Control(jobDir), "slurm-job.sh");

    public static string Command(string jobDir) => Path.Combine(Control(jobDir), "command.sh");

    /// <summary>The copy of the sbatch script that ran an attempt, kept in the job's own folder.</summary>
    public static string JobSbatchCopy(string jobDir, int attempt) => Path.Combine(Control(jobDir), $"sbatch-{attempt.ToString(CultureInfo.InvariantCulture)}.sh");

    public static string Started(string jobDir, int attempt) => Path.Combine(Control(jobDir), $"started-{attempt.ToString(CultureInfo.InvariantCulture)}.json");

    public static string Exit(string jobDir, int attempt) => Path.Combine(Control(jobDir), $"exit-{attempt.ToString(CultureInfo.InvariantCulture)}.json");
}
