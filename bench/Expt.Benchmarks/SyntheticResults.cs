using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Benchmarks;

/// <summary>
/// Generates a results root in the runner's layout (manifest.json, and per job status.json, config.json and
/// metrics.json), written with the library's own types, with deterministic values so every run of the benchmark
/// sees the same data.
/// </summary>
internal static class SyntheticResults
{
    public static readonly double[] LearningRates = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

    /// <summary>Creates <paramref name="jobs"/> jobs in runs of <paramref name="jobsPerRun"/> under <paramref name="root"/>, unless a previous call already did.</summary>
    public static void Ensure(string root, int jobs, int jobsPerRun)
    {
        var done = Path.Combine(root, $".generated-{jobs}-{jobsPerRun}");
        if (File.Exists(done)) return;
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        var runs = (jobs + jobsPerRun - 1) / jobsPerRun;
        for (var r = 0; r < runs; r++)
        {
            var count = Math.Min(jobsPerRun, jobs - (r * jobsPerRun));
            WriteRun(root, $"exp{r % 4}", r, count);
        }
        File.WriteAllText(done, "");
    }

    private static void WriteRun(string root, string experiment, int index, int count)
    {
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(index);
        var runId = $"{created:yyyyMMdd_HHmmss}_abcdef{index % 10}";
        var dir = Path.Combine(root, experiment, runId);
        var entries = new ManifestJob[count];
        Parallel.For(0, count, j =>
        {
            var random = new Random((index * 1_000_003) + j);
            var lr = LearningRates[j % LearningRates.Length];
            var rank = 4 << (j / LearningRates.Length % 4);
            var id = string.Create(CultureInfo.InvariantCulture, $"v{j:D5}_lr{lr}_r{rank}");
            var jobDir = Path.Combine(dir, id);
            Directory.CreateDirectory(jobDir);
            var state = random.NextDouble() < 0.05 ? JobState.Failed : JobState.Succeeded;
            var started = created.AddSeconds(j);
            var ended = started.AddSeconds(30 + random.Next(600));
            var config = new Dictionary<string, JsonNode?>
            {
                ["lr"] = lr,
                ["lora_rank"] = rank,
                ["model"] = j % 2 == 0 ? "llama-1b" : "llama-3b",
                ["dropout"] = Math.Round(random.NextDouble() * 0.5, 3),
                ["seed"] = 42 + (j % 3),
            };
            File.WriteAllText(Path.Combine(jobDir, "config.json"), ParamValues.ToIndentedJson(config.Append(KeyValuePair.Create("output_dir", (JsonNode?)jobDir))));
            JsonFiles.Write(Path.Combine(jobDir, JobStatus.FileName), new JobStatus
            {
                Id = id,
                Variant = id,
                Stage = "train",
                State = state,
                StartedAt = started,
                EndedAt = ended,
                ExitCode = state == JobState.Succeeded ? 0 : 1,
                DurationSeconds = (ended - started).TotalSeconds,
                Attempts = [new AttemptRecord { Attempt = 1, State = state, StartedAt = started, EndedAt = ended, ExitCode = state == JobState.Succeeded ? 0 : 1 }],
            });
            if (state == JobState.Succeeded)
            {
                var accuracy = Math.Round(0.5 + (random.NextDouble() * 0.45), 4);
                var metrics = new JsonObject { ["accuracy"] = accuracy, ["loss"] = Math.Round(1 - accuracy, 4), ["f1"] = Math.Round(accuracy * 0.9, 4) };
                File.WriteAllText(Path.Combine(jobDir, "metrics.json"), metrics.ToJsonString());
            }
            entries[j] = new ManifestJob { Id = id, Variant = id, Stage = "train", Dir = id, State = state, Attempts = 1, ExitCode = state == JobState.Succeeded ? 0 : 1, Started = started, Ended = ended };
        });
        JsonFiles.Write(Path.Combine(dir, RunManifest.FileName), new RunManifest
        {
            Experiment = experiment,
            RunId = runId,
            Git = new GitInfo("abcdef" + (index % 10).ToString(CultureInfo.InvariantCulture) + "0123456789abcdef0123456789abcdef0", false, "main", null),
            Host = "bench",
            Created = created,
            Updated = created.AddHours(1),
            Ended = created.AddHours(1),
            Jobs = entries,
        });
    }
}
