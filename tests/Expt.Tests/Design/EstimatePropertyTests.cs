using Expt.Design;
using Expt.Planning;
using Expt.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Expt.Tests.Design;

/// <summary>Properties of estimates and of the simulated schedule over generated histories and durations.</summary>
public sealed class EstimatePropertyTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Plan _pipeline;
    private readonly Plan _single;

    public EstimatePropertyTests()
    {
        // Needs inside each variant, a fan-out, a GPU stage and a stage only defaults run: chains of different lengths.
        _pipeline = SpecText.Plan(_dir, """
            experiment: props
            params:
              i: { type: int, default: 0 }
            matrix: { i: [0, 1, 2, 3] }
            include: [ { kind: control, i: 9, name: base } ]
            name: "v{i}"
            stages:
              prep:  { run: "true" }
              train: { run: "true", needs: [prep], kinds: [default], resources: { gpus: 1 } }
              eval:  { run: "true", needs: [train], foreach: { task: [a, b, c] } }
            """);
        _single = SpecText.Plan(_dir, "experiment: one\nrun: \"true\"\n");
    }

    public void Dispose() => _dir.Dispose();

    [Property(MaxTest = 200)]
    public Property Estimates_are_finite_and_never_negative_whatever_the_history() =>
        Prop.ForAll(HistoryAndPlanned().ToArbitrary(), c =>
        {
            var estimator = new JobEstimator(c.History, new HashSet<string>(StringComparer.Ordinal) { "seed" });
            return c.Planned.All(p =>
            {
                var e = estimator.Estimate("s", p);
                return e.N >= 0 && e.Detail.Length > 0
                    && new[] { e.WallSeconds, e.CpuSeconds, e.GpuSeconds, e.PeakRssMb }.All(v => v is null || (double.IsFinite(v.Value) && v >= 0))
                    && e.OutputBytes is null or >= 0
                    && (e.Basis == EstimateBasis.NoHistory) == (e.WallSeconds is null);
            });
        });

    [Property(MaxTest = 100)]
    public Property A_single_job_schedule_takes_exactly_its_estimate() =>
        Prop.ForAll(Seconds().ToArbitrary(), wall =>
        {
            var totals = EstimateTotals.Compute(_single, [EstimateTotalsTests.Estimate(wall)], parallel: 1, gpuSlots: 0);
            return totals.WallSeconds == wall;
        });

    [Property(MaxTest = 200)]
    public Property The_makespan_lies_between_the_longest_chain_and_total_over_p_and_the_total() =>
        Prop.ForAll(Schedules(_pipeline.Jobs.Count).ToArbitrary(), c =>
        {
            var (walls, parallel, gpus) = c;
            var totals = EstimateTotals.Compute(_pipeline, [.. walls.Select(w => EstimateTotalsTests.Estimate(w))], parallel, gpus);
            var chain = LongestChain(_pipeline, walls);
            var total = walls.Sum();
            var slack = 1e-9 * Math.Max(1, total);
            var makespan = totals.WallSeconds!.Value;
            return (makespan >= chain - slack).Label($"makespan {makespan} ≥ longest chain {chain}")
                .And((makespan >= total / parallel - slack).Label($"makespan {makespan} ≥ total/p {total / parallel}"))
                .And((makespan <= total + slack).Label($"makespan {makespan} ≤ total {total}"))
                .And(totals.JobsThatCannotStart == 0);
        });

    private static double LongestChain(Plan plan, double[] walls)
    {
        // Jobs come in an execution order: every need is finished before its dependant.
        var finish = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Jobs.Count; i++)
        {
            var job = plan.Jobs[i];
            finish[job.Id] = walls[i] + job.Needs.Select(n => finish[n]).DefaultIfEmpty(0).Max();
        }
        return finish.Values.Max();
    }

    private static Gen<(double[] Walls, int Parallel, int Gpus)> Schedules(int jobs) =>
        from walls in Gen.ArrayOf(Seconds(), jobs)
        from parallel in Gen.Choose(1, 5)
        from gpus in Gen.Choose(1, 3)
        select (walls, parallel, gpus);

    private static Gen<double> Seconds() =>
        Gen.OneOf(Gen.Constant(0.0), Gen.Choose(0, 100_000).Select(i => i / 100.0), Gen.Choose(1, 1000).Select(i => i * 3600.0));

    private sealed record Case(List<HistoryJob> History, List<List<KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>>> Planned);

    private static Gen<Case> HistoryAndPlanned()
    {
        // Sizes include zero and negatives (a linear fit), equal sizes (no fit) and huge ones (overflow); measures
        // include zeros, missing values and values far apart.
        var size = Gen.OneOf(Gen.Choose(-3, 12).Select(i => (object)i), Gen.Elements<object>(0.5, 1e-9, 1e12, 2.0, -1e300));
        var model = Gen.Elements<object>("a", "b");
        var measure = Gen.OneOf(Gen.Constant<double?>(null), Gen.Constant<double?>(0), Gen.Choose(0, 10_000).Select(i => (double?)(i / 10.0)), Gen.Constant<double?>(1e300));
        var output = Gen.OneOf(Gen.Constant<long?>(null), Gen.Constant<long?>(0), Gen.Choose(0, int.MaxValue).Select(i => (long?)i), Gen.Constant<long?>(long.MaxValue));
        var job = from s in size
                  from m in model
                  from seed in Gen.Choose(0, 3)
                  from wall in Gen.OneOf(Gen.Choose(0, 100_000).Select(i => i / 10.0), Gen.Constant(1e300))
                  from cpu in measure
                  from rss in measure
                  from o in output
                  select JobEstimatorTests.Job("s", new JobMeasures(wall, cpu, null, rss, o), ("size", s), ("model", m), ("seed", seed));
        var planned = from s in size
                      from m in Gen.Elements<object>("a", "b", "c")
                      select JobEstimatorTests.Config(("size", s), ("model", m));
        return from history in Gen.ListOf(job).Select(l => l.ToList())
               from jobs in Gen.NonEmptyListOf(planned).Select(l => l.ToList())
               select new Case(history, jobs);
    }
}
