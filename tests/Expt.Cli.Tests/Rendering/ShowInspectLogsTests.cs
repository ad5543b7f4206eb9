using Expt.Cli.Rendering;
using Expt.Metrics;
using Expt.Reporting;
using static Expt.Cli.Tests.Rendering.RenderInputs;

namespace Expt.Cli.Tests.Rendering;

/// <summary>show's Inspect logs section, and values from logs that did not succeed.</summary>
public sealed class ShowInspectLogsTests
{
    [Fact]
    public void Given_jobs_with_an_errored_and_an_unfinished_inspect_log_when_shown_then_the_logs_are_listed_and_partial_values_marked()
    {
        // Given
        var created = new DateTimeOffset(2025, 7, 5, 13, 59, 48, TimeSpan.Zero);
        var accuracy = new Dictionary<string, MetricValue> { ["match/accuracy"] = MetricValue.FromNumber(0.5) };
        var report = ShowReport([
            new JobReport("ok", "ok", "default", "main", "succeeded", 1, 0, 1, accuracy),
            new JobReport("bad", "bad", "default", "main", "succeeded", 1, 0, 1, accuracy) { FromUnsuccessfulLogs = ["match/accuracy"] },
            new JobReport("run", "run", "default", "main", "running", 1, null, null, new Dictionary<string, MetricValue>()),
        ]) with
        {
            InspectLogs =
            [
                new InspectLogReport("ok", "popularity", "ollama/gemma3", "success", created, created.AddSeconds(1), "ok/logs/a.eval", null, 1, 1),
                new InspectLogReport("bad", "popularity", "ollama/gemma3", "error", created, null, "bad/logs/b.json", "RateLimitError\nretry", 2, 1),
                new InspectLogReport("run", "popularity", "ollama/gemma3", "started", null, null, "run/logs/c.eval", null, 4, 3),
            ],
        };

        // When
        var text = Show(report);

        // Then
        text.ShouldContain("ok   default  main   succeeded  1         1.0s  0.5\n");
        text.ShouldContain("bad  default  main   succeeded  1         1.0s  0.5 !\n");
        text.ShouldContain("! from an Inspect log that did not succeed: partial results, left out of expt report\n");
        text.ShouldContain("Inspect logs: 3, 2 did not succeed\n");
        text.ShouldMatch(@"(?m)^JOB +TASK +MODEL +STATUS +STARTED +COMPLETED +FILE$");
        text.ShouldMatch(@"(?m)^ok +popularity +ollama/gemma3 +success +2025-07-05 13:59:48 UTC +2025-07-05 13:59:49 UTC +ok/logs/a\.eval$");
        text.ShouldMatch(@"(?m)^bad +popularity +ollama/gemma3 +ERROR +2025-07-05 13:59:48 UTC +- +bad/logs/b\.json$");
        text.ShouldMatch(@"(?m)^run +popularity +ollama/gemma3 +STARTED \(3/4 samples\) +- +- +run/logs/c\.eval$");
        text.ShouldContain("  bad (bad/logs/b.json): RateLimitError\\nretry\n");
    }
}
