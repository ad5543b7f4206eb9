using System.Globalization;

namespace Expt.Slurm.Tests.Support;

/// <summary>Writes what a job's SLURM wrapper would write, for tests with the fake client.</summary>
internal static class JobFiles
{
    public static void Started(string jobDir, int attempt, string slurmJobId = "999")
    {
        var a = attempt.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(jobDir, ".expt", $"started-{a}.json"),
            $$"""{"attempt": {{a}}, "pid": 1, "startedAt": "2026-01-01T10:00:00.000Z", "host": "node1", "slurmJobId": "{{slurmJobId}}"}""");
    }

    public static void Exit(string jobDir, int attempt, int exitCode, string cpu = "", string peakRssKb = "")
    {
        Started(jobDir, attempt);
        var a = attempt.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(jobDir, ".expt", $"exit-{a}.json"),
            $$"""{"attempt": {{a}}, "exitCode": {{exitCode.ToString(CultureInfo.InvariantCulture)}}, "startedAt": "2026-01-01T10:00:00.000Z", "endedAt": "2026-01-01T10:00:05.000Z", "host": "node1", "cpu": "{{cpu}}", "peakRssKb": "{{peakRssKb}}"}""");
    }
}
