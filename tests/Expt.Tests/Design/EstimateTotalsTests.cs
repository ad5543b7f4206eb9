using Expt.Design;
using Expt.Planning;
using Expt.Tests.Support;

namespace Expt.Tests.Design;

public sealed class EstimateTotalsTests : IDisposable
{
    // Three variants, each a 10 s prep then a 100 s train on one GPU; plan order v0/prep, v0/train, v1/prep, …
    private const string PrepTrain = """
        experiment: sched
        params:
          i: { type: int, default: 0 }
        matrix: { i: [0, 1, 2] }
        name: "v{i}"
        stages:
          prep: { run: "true" }
          train: { run: "true", needs: [prep], resources: { gpus: GPUS } }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_needs_and_one_gpu_under_p2_when_simulated_then_the_schedule_is_the_one_worked_out_by_hand()
    {
        // Given
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "1", StringComparison.Ordinal));
        plan.Jobs.Select(j => j.Id).ShouldBe(["v0/prep", "v0/train", "v1/prep", "v1/train", "v2/prep", "v2/train"]);

        // When
        var outcome = ScheduleSimulation.Run(plan.Jobs, Seconds(plan), parallel: 2, ScheduleSimulation.Pool(1, int.MaxValue, long.MaxValue));
        var totals = EstimateTotals.Compute(plan, Estimates(plan), parallel: 2, gpuSlots: 1);

        // Then: t=0 both first preps; t=10 v0/train takes the GPU, v1/train waits for it, v2/prep takes the free slot;
        // t=110 v1/train; t=210 v2/train, done at 310
        outcome.Started.ShouldBe([0.0, 10.0, 0.0, 110.0, 10.0, 210.0]);
        outcome.Makespan.ShouldBe(310);
        totals.WallSeconds.ShouldBe(310);
        totals.JobsThatCannotStart.ShouldBe(0);
    }

    [Fact]
    public void Given_two_gpus_under_p2_when_simulated_then_the_trains_fill_both_slots_and_the_last_prep_waits_in_plan_order()
    {
        // Given
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "1", StringComparison.Ordinal));

        // When
        var outcome = ScheduleSimulation.Run(plan.Jobs, Seconds(plan), parallel: 2, ScheduleSimulation.Pool(2, int.MaxValue, long.MaxValue));

        // Then: t=10 v0/train and v1/train come before v2/prep in plan order and fill -p 2
        outcome.Started.ShouldBe([0.0, 10.0, 0.0, 10.0, 110.0, 120.0]);
        outcome.Makespan.ShouldBe(220);
    }

    [Fact]
    public void Given_a_stage_needing_more_gpus_than_there_are_when_simulated_then_its_jobs_never_start_and_are_counted()
    {
        // Given: train needs 2 GPUs, the machine has 1
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "2", StringComparison.Ordinal));

        // When
        var totals = EstimateTotals.Compute(plan, Estimates(plan), parallel: 2, gpuSlots: 1);

        // Then: only the three preps run (two, then one)
        totals.JobsThatCannotStart.ShouldBe(3);
        totals.WallSeconds.ShouldBe(20);
    }

    [Fact]
    public void Given_only_the_train_stage_selected_when_simulated_then_jobs_whose_prep_is_not_selected_cannot_start()
    {
        // Given: a new run blocks a job whose need is outside the selection
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "1", StringComparison.Ordinal), new PlanRequest("", [], [], ["train"], []));

        // When
        var totals = EstimateTotals.Compute(plan, Estimates(plan), parallel: 2, gpuSlots: 1);

        // Then
        totals.JobsThatCannotStart.ShouldBe(3);
        totals.WallSeconds.ShouldBe(0);
    }

    [Fact]
    public void Given_estimates_with_and_without_history_when_totalled_then_sums_disk_margin_and_the_count_without_are_right()
    {
        // Given: v0's jobs have figures; the other four have none (0 s in the schedule)
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "1", StringComparison.Ordinal));
        var estimates = plan.Jobs.Select(j => j.Id switch
        {
            "v0/prep" => Estimate(10, cpu: 3600, gpu: null, output: 1000),
            "v0/train" => Estimate(100, cpu: 7200, gpu: 3600, output: 4000),
            _ => JobEstimate.None,
        }).ToList();

        // When
        var totals = EstimateTotals.Compute(plan, estimates, parallel: 1, gpuSlots: 1);

        // Then
        totals.Jobs.ShouldBe(6);
        totals.JobsWithoutHistory.ShouldBe(4);
        totals.WallSeconds.ShouldBe(110);
        totals.CpuHours.ShouldBe(3);
        totals.GpuHours.ShouldBe(1);
        totals.OutputBytes.ShouldBe(5000);
        totals.DiskBytes.ShouldBe(6000);
    }

    [Fact]
    public void Given_a_gpu_stage_whose_history_has_no_gpu_time_when_totalled_then_wall_times_gpus_counts()
    {
        // Given
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "2", StringComparison.Ordinal));
        var estimates = plan.Jobs.Select(j => j.Stage.Name == "train" ? Estimate(1800, cpu: null, gpu: null, output: null) : JobEstimate.None).ToList();

        // When
        var totals = EstimateTotals.Compute(plan, estimates, parallel: 4, gpuSlots: 2);

        // Then: 3 jobs × 0.5 h × 2 GPUs
        totals.GpuHours.ShouldBe(3);
        totals.CpuHours.ShouldBe(0);
        totals.WallSeconds.ShouldBe(5400);
    }

    [Fact]
    public void Given_no_job_with_history_when_totalled_then_the_wall_time_is_null_and_every_job_is_counted_without()
    {
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "1", StringComparison.Ordinal));

        var totals = EstimateTotals.Compute(plan, [.. plan.Jobs.Select(_ => JobEstimate.None)], parallel: 2, gpuSlots: 1);

        totals.WallSeconds.ShouldBeNull();
        totals.JobsWithoutHistory.ShouldBe(6);
        (totals.CpuHours, totals.GpuHours, totals.OutputBytes, totals.DiskBytes).ShouldBe((0.0, 0.0, 0L, 0L));
    }

    [Fact]
    public void Given_fewer_estimates_than_jobs_when_totalled_then_it_is_refused()
    {
        var plan = SpecText.Plan(_dir, PrepTrain.Replace("GPUS", "1", StringComparison.Ordinal));

        Should.Throw<ArgumentException>(() => EstimateTotals.Compute(plan, [JobEstimate.None], parallel: 2, gpuSlots: 1));
    }

    [Fact]
    public void Given_a_100k_job_plan_when_simulated_then_it_takes_seconds()
    {
        // Given: 50,000 variants × (prep → train on one of 2 GPUs)
        var a = string.Join(", ", Enumerable.Range(0, 250));
        var b = string.Join(", ", Enumerable.Range(0, 200));
        var plan = SpecText.Plan(_dir, $$"""
            experiment: big
            params:
              a: { type: int, default: 0 }
              b: { type: int, default: 0 }
            matrix: { a: [{{a}}], b: [{{b}}] }
            name: "v{a}_{b}"
            stages:
              prep: { run: "true" }
              train: { run: "true", needs: [prep], resources: { gpus: 1 } }
            """, new PlanRequest("", [], [], [], []) { MaxVariants = 1_000_000, MaxJobs = 1_000_000 });
        plan.Jobs.Count.ShouldBe(100_000);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        // When
        var totals = EstimateTotals.Compute(plan, Estimates(plan), parallel: 8, gpuSlots: 2);

        // Then: the GPUs are the bottleneck: 50,000 trains × 100 s over 2 GPUs
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
        totals.WallSeconds!.Value.ShouldBe(2_500_000, 100);
    }

    internal static JobEstimate Estimate(double wall, double? cpu = null, double? gpu = null, long? output = null) =>
        new(wall, cpu, gpu, null, output, EstimateBasis.SameParams, 1, "test");

    private static double[] Seconds(Plan plan) => [.. plan.Jobs.Select(j => j.Stage.Name == "prep" ? 10.0 : 100.0)];

    private static List<JobEstimate> Estimates(Plan plan) => [.. Seconds(plan).Select(s => Estimate(s))];
}
