using Expt.Design;
using Expt.Planning;

namespace Expt.Cli.Tests.Design;

/// <summary>A clock that always says the same time, in UTC, so that log stamps are the same everywhere.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

/// <summary>A free-space probe that answers what the test says.</summary>
internal sealed class FixedFreeSpace(long? bytes) : IFreeSpaceProbe
{
    public long? FreeBytes(string path) => bytes;
}

/// <summary>
/// A design put together by hand from a real plan and made-up findings (a missing dataset and script, history of
/// three jobs, every kind of estimate, a short disk), so that the log, the terminal summary and the JSON can be
/// compared with stored expectations whatever the pieces that find them do.
/// </summary>
internal static class DesignSample
{
    public static readonly DateTimeOffset At = new(2026, 3, 4, 14, 23, 15, TimeSpan.Zero);

    public static ExperimentDesign Build(TempDirectory dir, long? freeBytes = 1_000_000)
    {
        var spec = dir.File("study/experiment.yaml", """
            experiment: sweep
            params:
              size: { type: int, default: 1 }
            matrix: { size: [2, 4, 8, 16] }
            name: "s{size}"
            run: python3 train.py
            args: none
            """);
        dir.File("study/train.py", "print('trained')\n");
        var plan = ExperimentPreparer.Prepare(PlanRequest.For(spec)).Plan!;
        static Dictionary<string, System.Text.Json.Nodes.JsonNode?> Size(int s) => new(StringComparer.Ordinal) { ["size"] = s };
        var history = new HistoryRead(
            [
                new HistoryJob("r1", "s1", "main", Size(1), new JobMeasures(10, 9, null, 120, 200_000)),
                new HistoryJob("r1", "s2", "main", Size(2), new JobMeasures(20, 18, null, 130, 400_000)),
                new HistoryJob("r1", "s5", "main", Size(5), new JobMeasures(50, 45, null, 160, 1_000_000)),
            ], 1, []);
        IReadOnlyList<JobEstimate> estimates =
        [
            new(20, 18, null, 130, 400_000, EstimateBasis.SameParams, 1, "same params"),
            new(40, 36, null, 145, 800_000, EstimateBasis.Fit, 3, "power law in size (sizes 1–5)"),
            new(80, 72, null, 190, 1_600_000, EstimateBasis.Extrapolated, 3, "power law in size (sizes 1–5), extrapolated"),
            JobEstimate.None,
        ];
        var totals = new DesignTotals(100, 0.035, 0, 2_800_000, 3_360_000, 4, 1);
        IReadOnlyList<ResourceCheck> resources =
        [
            new(ResourceKind.Path, "data/train.json", "/study/data/train.json", false, null, null, false, null, "param dataset (4 variants)", "no such file or folder"),
            new(ResourceKind.Path, "models/base", "/study/models/base", true, 5_242_880, 15, true, null, "param model (4 variants)", null),
            new(ResourceKind.Program, "python3", "/usr/bin/python3", true, 8_000, null, false, true, "stage main", null),
            new(ResourceKind.Script, "train.py", "/study/train.py", false, null, null, false, null, "stage main", "not found"),
        ];
        var settings = new DesignSettings(2, 0, "local", ["-p", "2"]);
        var inputs = new DesignInputs(plan, "experiment.yaml", "/results", settings, resources, history, estimates, totals, freeBytes, "/study");
        return DesignAssembly.Assemble(inputs, new FixedClock(At));
    }
}
