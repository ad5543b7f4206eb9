using System.Text.Json.Nodes;
using Expt.Design;
using Expt.Planning;
using Expt.Recording;
using Expt.Tests.Support;

namespace Expt.Tests.Design;

/// <summary>
/// experiment_summary.md of real plans (the planner on spec text) with hand-made estimates and resources, against
/// stored expected files (<c>*.approved.txt</c> beside this file; EXPT_UPDATE_SNAPSHOTS=1 rewrites them).
/// </summary>
public sealed class SummaryMarkdownTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-summary");

    public void Dispose() => _dir.Dispose();

    internal const string Spec = """
        experiment: lora_sizes
        question: Does a larger rank fine-tune better on both tasks?
        hypothesis: Accuracy rises with the rank up to 8.
        params:
          model: { type: enum, values: [small, large], default: small }
          rank: { type: int, default: 4, min: 0, help: LoRA rank }
          data: { type: path, default: data/train.csv }
        matrix:
          model: [small, large]
          rank: [2, 8]
        exclude:
          - { model: large, rank: 2 }
        include:
          - { kind: control, name: base, rank: 0 }
        seeds: [1, 2]
        name: "{model}_r{rank}"
        stages:
          train:
            run: python3 train.py
            kinds: [default]
            timeout: 10m
            retries: 1
          eval:
            run: python3 evaluate.py --task {task}
            needs: [train]
            foreach: { epoch: [1, 2], task: [arith, parity] }
            foreach_by_kind:
              control: { task: [arith, parity] }
            args: none
        """;

    private Plan LoraPlan()
    {
        _dir.File("train.py", "");
        _dir.File("evaluate.py", "");
        return SpecText.Plan(_dir, Spec);
    }

    /// <summary>Training from history (same params for rank 2, a fit for rank 8), evaluations from the stage's median, the control's without history.</summary>
    internal static JobEstimate Estimate(PlannedJob job) => (job.Stage.Name, job.Variant.Kind, job.Variant.Get("rank")!.GetValue<long>()) switch
    {
        ("train", _, 2) => new JobEstimate(120, 110, 0, 900, 2L << 30, EstimateBasis.SameParams, 2, "median of 2 jobs with the same params"),
        ("train", _, _) => new JobEstimate(300, 280, 0, 1800, 5L << 30, EstimateBasis.Extrapolated, 4, "power law in rank (ranks 1–4)"),
        ("eval", "default", _) => new JobEstimate(30, 28, 0, 400, 1L << 20, EstimateBasis.StageMedian, 6, "median of the stage"),
        _ => JobEstimate.None,
    };

    private static readonly ResourceCheck[] Resources =
    [
        new(ResourceKind.Path, "data/train.csv", "data/train.csv", true, 670_720, null, false, null, "param data (8 variants)", null),
        new(ResourceKind.Script, "train.py", "train.py", true, 1_024, null, false, true, "stage train", null),
        new(ResourceKind.Script, "evaluate.py", null, false, null, null, false, null, "stage eval", "missing: no such file"),
        new(ResourceKind.Program, "python3", null, true, null, null, false, true, "stages train, eval", null),
    ];

    [Fact]
    public void Given_a_factorial_with_a_control_seeds_and_two_stages_when_rendered_before_any_run_then_it_matches_the_stored_summary()
    {
        // Given: 2×2 less one exclude, a control evaluated once per task (no epochs), 2 seeds; a missing script, a short disk
        var design = DesignFixture.For(LoraPlan(), Estimate, Resources) with
        {
            FreeDiskBytes = 10L << 30,
            Problems = ["script evaluate.py (stage eval) is missing"],
            Warnings = ["free disk at the results root (10.0 GiB) is short of the 26.4 GiB needed"],
        };

        // When
        var markdown = SummaryMarkdown.Render(design);

        // Then
        markdown.ShouldContain("- **Design:** 2×2 factorial less 1 exclude rule + 1 control, 2 seeds\n");
        markdown.ShouldContain("- **Jobs:** 34 (train 6, eval 28)\n");
        ApprovedFile.Match(markdown, "summary-design", "EXPT_UPDATE_SNAPSHOTS");
    }

    [Fact]
    public void Given_statuses_of_a_run_when_rendered_then_the_status_tables_put_each_actual_next_to_its_estimate_per_job_and_per_stage()
    {
        // Given: two trainings ended (one 10% over its estimate, one failed), one running, a control evaluation done without history
        var plan = LoraPlan();
        var started = DesignFixture.CreatedAt.AddMinutes(5);
        JobStatus Status(string id, JobState state, double? seconds, string? reason = null)
        {
            var job = plan.Jobs.Single(j => j.Id == id);
            return RunSession.NewStatus(job) with
            {
                State = state, StartedAt = started, EndedAt = seconds is { } s ? started.AddSeconds(s) : null, DurationSeconds = seconds, Reason = reason,
                Accounting = seconds is { } w ? new JobAccounting(w, null, null, 0) : null,
            };
        }
        var train = plan.Jobs.Where(j => j.Stage.Name == "train").ToList();
        var control = plan.Jobs.First(j => j.Variant.Kind == "control");
        var statuses = new[]
        {
            Status(train[0].Id, JobState.Succeeded, 132),
            Status(train[1].Id, JobState.Failed, 12, "exit code 1"),
            Status(train[2].Id, JobState.Running, null),
            Status(control.Id, JobState.Succeeded, 25),
        }.ToDictionary(s => s.Id);

        // When
        var markdown = SummaryMarkdown.Render(DesignFixture.For(plan, Estimate, Resources), statuses);

        // Then
        markdown.ShouldContain($"| `{train[0].Id}` | succeeded | 2026-12-03 14:31:00 | 2m12s | 2m | +10% |");
        ApprovedFile.Match(markdown, "summary-status", "EXPT_UPDATE_SNAPSHOTS");
    }
}
