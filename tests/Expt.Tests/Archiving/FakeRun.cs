using Expt.Internal;
using Expt.Recording;

namespace Expt.Tests.Archiving;

/// <summary>A run directory written the way the runner writes one: manifest, statuses, configs, logs, metrics, and a checkpoint.</summary>
internal static class FakeRun
{
    public const string Experiment = "exp";

    /// <summary>Creates <c>{results}/exp/{runId}</c> with one job per state given; returns the run directory.</summary>
    public static string Create(string results, string runId, DateTimeOffset created, params JobState[] states)
    {
        var dir = Path.Combine(results, Experiment, runId);
        var jobs = states.Select((state, i) => new ManifestJob { Id = $"v{i}", Variant = $"v{i}", Stage = "main", Dir = $"v{i}", State = state }).ToList();
        JsonFiles.Write(Path.Combine(dir, RunManifest.FileName), new RunManifest { Experiment = Experiment, RunId = runId, Git = GitInfo.None, Created = created, Jobs = jobs });
        Write(dir, "spec.yaml", "experiment: exp\n");
        Write(dir, "run.log", "[2026-11-01 10:00:00] START: run\n");
        Write(dir, ".expt/created", "");
        Write(dir, ".expt/run.lock", "");
        Write(dir, ".expt/run.lock.info", "pid 1 on host since 2026-11-01 10:00:00Z");
        foreach (var job in jobs)
        {
            JsonFiles.Write(Path.Combine(dir, job.Dir, JobStatus.FileName), new JobStatus { Id = job.Id, Variant = job.Variant, Stage = job.Stage, State = job.State });
            Write(dir, $"{job.Dir}/config.json", "{\"lr\": 0.1}\n");
            Write(dir, $"{job.Dir}/stdout.log", "training\n");
            Write(dir, $"{job.Dir}/metrics.json", "{\"acc\": 0.9}\n");
            Write(dir, $"{job.Dir}/.expt/job.sh", "#!/bin/sh\n");
            Write(dir, $"{job.Dir}/checkpoint-100/model.pt", new string('w', 5000));
            Write(dir, $"{job.Dir}/notes.txt", "a note\n");
        }
        return dir;
    }

    public static void Write(string dir, string relative, string content)
    {
        var full = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
    }
}
