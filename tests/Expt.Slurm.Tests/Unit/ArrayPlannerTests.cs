using Expt.Slurm.Submission;

namespace Expt.Slurm.Tests.Unit;

public sealed class ArrayPlannerTests
{
    private static ArrayJob Train(int v) => new($"v{v}/train", "train", [], []);

    private static ArrayJob Eval(int v, string cell = "") => new($"v{v}/eval{cell}", "eval", [$"v{v}/train"], []);

    [Fact]
    public void each_stage_of_many_variants_is_one_array_and_evaluations_wait_per_variant_with_aftercorr()
    {
        // Given 1,000 variants with a training and an evaluation each
        var jobs = Enumerable.Range(0, 1000).SelectMany(v => new[] { Train(v), Eval(v) }).ToList();

        // When they are packed into arrays
        var arrays = ArrayPlanner.Plan(jobs, 1001);

        // Then two arrays go out; evaluation task i waits for training task i of the same variant
        arrays.Count.ShouldBe(2);
        arrays[0].Tasks.Count.ShouldBe(1000);
        arrays[1].AfterCorr.ShouldBe([ArrayRef.Planned(0)]);
        arrays[1].AfterOk.ShouldBeEmpty();
        var train = arrays[0].Tasks.ToDictionary(t => t.JobId, t => t.Index);
        arrays[1].Tasks.ShouldAllBe(t => train[t.JobId.Replace("/eval", "/train", StringComparison.Ordinal)] == t.Index);
    }

    [Fact]
    public void more_jobs_than_the_largest_array_are_split_and_dependants_follow_their_own_chunk()
    {
        // Given 7 variants and arrays of at most 3 indices
        var jobs = Enumerable.Range(0, 7).SelectMany(v => new[] { Train(v), Eval(v) }).ToList();

        // When packed
        var arrays = ArrayPlanner.Plan(jobs, 3);

        // Then training is split 3+3+1 and each evaluation array waits for its own training array only
        var trains = arrays.Where(a => a.Stage == "train").ToList();
        trains.Select(a => a.Tasks.Count).ShouldBe([3, 3, 1]);
        trains.SelectMany(a => a.Tasks).ShouldAllBe(t => t.Index < 3);
        var evals = arrays.Where(a => a.Stage == "eval").ToList();
        evals.Count.ShouldBe(3);
        evals.Select(e => e.AfterCorr.Single().Ordinal).ShouldBe(trains.Select(t => (int?)t.Ordinal), ignoreOrder: true);
    }

    [Fact]
    public void several_cells_of_one_variant_go_to_parallel_arrays_aligned_with_the_training()
    {
        // Given two variants whose evaluation fans out into three cells
        var jobs = Enumerable.Range(0, 2).SelectMany(v => new[] { Train(v), Eval(v, "-a"), Eval(v, "-b"), Eval(v, "-c") }).ToList();

        // When packed
        var arrays = ArrayPlanner.Plan(jobs, 1001);

        // Then three evaluation arrays, each holding one cell of every variant at the training's index
        var evals = arrays.Where(a => a.Stage == "eval").ToList();
        evals.Count.ShouldBe(3);
        evals.ShouldAllBe(a => a.Tasks.Count == 2 && a.AfterCorr.Count == 1);
        evals.ShouldAllBe(a => a.Tasks.Select(t => t.Index).SequenceEqual(new[] { 0, 1 }));
    }

    [Fact]
    public void a_variant_that_skips_training_is_evaluated_without_waiting()
    {
        // Given a control variant whose kind skips training
        ArrayJob[] jobs = [Train(0), Eval(0), new("control/eval", "eval", [], [])];

        // When packed
        var arrays = ArrayPlanner.Plan(jobs, 1001);

        // Then the control's evaluation is in an array with no dependency at all
        var control = arrays.Single(a => a.Tasks.Any(t => t.JobId == "control/eval"));
        control.AfterCorr.ShouldBeEmpty();
        control.AfterOk.ShouldBeEmpty();
    }

    [Fact]
    public void a_job_whose_needs_sit_at_different_indices_waits_for_those_tasks_with_afterok()
    {
        // Given a report that needs a training submitted now and one still queued in SLURM at another index
        ArrayJob[] jobs =
        [
            Train(0), Train(1),
            new("v1/report", "report", ["v1/train"], [new TaskRef(ArrayRef.Existing("77"), 5)]),
        ];

        // When packed
        var arrays = ArrayPlanner.Plan(jobs, 1001);

        // Then it waits for exactly those two tasks
        var report = arrays.Single(a => a.Stage == "report");
        report.AfterCorr.ShouldBeEmpty();
        report.AfterOk.ShouldBe([new TaskRef(ArrayRef.Planned(0), 1), new TaskRef(ArrayRef.Existing("77"), 5)], ignoreOrder: true);
    }

    [Fact]
    public void a_job_waiting_for_an_adopted_task_takes_that_tasks_index()
    {
        // Given an evaluation whose training still runs in SLURM as 77_12
        ArrayJob[] jobs = [new("v3/eval", "eval", [], [new TaskRef(ArrayRef.Existing("77"), 12)])];

        // When packed
        var arrays = ArrayPlanner.Plan(jobs, 1001);

        // Then it is task 12 of an array that waits with aftercorr on 77
        arrays.Single().Tasks.ShouldBe([(12, "v3/eval")]);
        arrays.Single().AfterCorr.ShouldBe([ArrayRef.Existing("77")]);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, null, "0-3")]
    [InlineData(new[] { 5, 0, 2, 1, 9, 10 }, 4, "0-2,5,9-10%4")]
    [InlineData(new[] { 7 }, null, "7")]
    public void array_indices_are_written_as_ranges(int[] indices, int? limit, string expected)
    {
        // Given indices and a throttle / When formatted / Then ranges where consecutive
        ArrayIndices.Format(indices, limit).ShouldBe(expected);
    }
}
