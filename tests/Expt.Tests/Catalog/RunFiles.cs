using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Tests.Catalog;

/// <summary>One job to write: its variant, state, params and metrics.</summary>
internal sealed record JobSpec(string Variant, JobState State, IReadOnlyDictionary<string, object> Params, IReadOnlyDictionary<string, double>? Metrics = null)
{
    /// <summary>Its accounting in status.json, when given.</summary>
    public JobAccounting? Accounting { get; init; }

    /// <summary>Its outputBytes in status.json, when given.</summary>
    public long? OutputBytes { get; init; }

    /// <summary>Its stage (<c>run</c> unless given).</summary>
    public string Stage { get; init; } = "run";
}

/// <summary>Writes run directories in the runner's layout with the library's own types (manifest, status, config, metrics).</summary>
internal static class RunFiles
{
    public static string Write(string root, string experiment, string runId, IReadOnlyList<JobSpec> jobs, DateTimeOffset? created = null)
    {
        var dir = Path.Combine(root, experiment, runId);
        Directory.CreateDirectory(dir);
        var at = created ?? new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var entries = new List<ManifestJob>();
        foreach (var job in jobs)
        {
            var jobDir = Path.Combine(dir, job.Variant);
            Directory.CreateDirectory(jobDir);
            var config = job.Params.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)));
            File.WriteAllText(Path.Combine(jobDir, "config.json"), ParamValues.ToIndentedJson(config));
            var started = at.AddSeconds(1);
            var ended = job.State.IsFinished() ? started.AddSeconds(30) : (DateTimeOffset?)null;
            JsonFiles.Write(Path.Combine(jobDir, JobStatus.FileName), new JobStatus
            {
                Id = job.Variant,
                Variant = job.Variant,
                Stage = job.Stage,
                State = job.State,
                StartedAt = started,
                EndedAt = ended,
                DurationSeconds = ended is null ? null : 30,
                ExitCode = job.State == JobState.Succeeded ? 0 : job.State == JobState.Failed ? 1 : null,
                Attempts = [new AttemptRecord { Attempt = 1, State = job.State, StartedAt = started, EndedAt = ended }],
                Accounting = job.Accounting,
                OutputBytes = job.OutputBytes,
            });
            if (job.Metrics is { } metrics)
            {
                var json = new JsonObject(metrics.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
                File.WriteAllText(Path.Combine(jobDir, "metrics.json"), json.ToJsonString());
            }
            entries.Add(new ManifestJob { Id = job.Variant, Variant = job.Variant, Stage = job.Stage, Dir = job.Variant, State = job.State, Attempts = 1, Started = started, Ended = ended });
        }
        JsonFiles.Write(Path.Combine(dir, RunManifest.FileName), new RunManifest
        {
            Experiment = experiment,
            RunId = runId,
            Git = new GitInfo("0123456789abcdef0123456789abcdef01234567", false, "main", null),
            Host = "node1",
            Question = "Does it work?",
            Created = at,
            Updated = at.AddMinutes(1),
            Ended = at.AddMinutes(1),
            Jobs = entries,
        });
        return dir;
    }

    /// <summary>A small sweep: lr × rank, accuracy rising with both.</summary>
    public static string Sweep(string root, string experiment = "sweep", string runId = "20260102_030405_0123456")
    {
        var jobs = new List<JobSpec>();
        foreach (var lr in new[] { 1e-4, 1e-3, 1e-2 })
        {
            foreach (var rank in new[] { 4, 16 })
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"lr{lr}_r{rank}");
                var state = lr == 1e-2 && rank == 16 ? JobState.Failed : JobState.Succeeded;
                jobs.Add(new JobSpec(name, state, new Dictionary<string, object> { ["lr"] = lr, ["lora_rank"] = rank, ["model"] = "llama-1b", ["seed"] = 42 },
                    state == JobState.Succeeded ? new Dictionary<string, double> { ["accuracy"] = 0.5 + (lr * 10) + (rank / 100.0), ["loss"] = 1 - lr } : null));
            }
        }
        return Write(root, experiment, runId, jobs);
    }
}
