using Expt.Internal;
using Expt.Slurm.Client;

namespace Expt.Slurm.Tests.Unit;

public sealed class QueueParserTests
{
    [Fact]
    public void squeue_lines_become_entries_by_array_task_id()
    {
        // Given squeue -O 'JobArrayID:|,State:|,Reason:|,JobID:|,RestartCnt:|,NodeList:|' output
        var output = "33_1|CANCELLED|DependencyNeverSatisfied|35|0||\n32_0|COMPLETED|None|37|0|localhost|\n40_3|PENDING|BeginTime|40|1|localhost|\n";

        // When parsed
        var snapshot = QueueParser.Parse(new CommandResult(0, output, ""));

        // Then each task is keyed by A_i with its state, reason, raw id, restart count and node
        snapshot.Answered.ShouldBeTrue();
        snapshot.Entries["33_1"].ShouldBe(new QueueEntry("33_1", "CANCELLED", "DependencyNeverSatisfied", "35", null, 0));
        snapshot.Entries["32_0"].Node.ShouldBe("localhost");
        snapshot.Entries["40_3"].RestartCount.ShouldBe(1);
        snapshot.Entries.Count.ShouldBe(3);
    }

    [Fact]
    public void cancelled_by_a_user_is_recognised_as_cancelled()
    {
        // Given the state text SLURM prints for a job a user cancelled / When parsed / Then the state word is CANCELLED
        QueueParser.Parse(new CommandResult(0, "40_2|CANCELLED by 0|None|41|0|n1|\n", "")).Entries["40_2"].State.ShouldBe("CANCELLED");
    }

    [Fact]
    public void unknown_ids_are_an_answer_that_knows_none_of_them()
    {
        // Given squeue's error for ids it does not know / When parsed / Then an empty answer, not an outage
        var snapshot = QueueParser.Parse(new CommandResult(1, "", "slurm_load_jobs error: Invalid job id specified\n"));
        snapshot.Answered.ShouldBeTrue();
        snapshot.Entries.ShouldBeEmpty();
    }

    [Fact]
    public void an_unreachable_controller_is_no_answer()
    {
        // Given squeue cannot reach slurmctld / When parsed / Then nothing may be concluded
        var snapshot = QueueParser.Parse(new CommandResult(1, "", "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"));
        snapshot.Answered.ShouldBeFalse();
        snapshot.Error!.ShouldContain("Unable to contact");
    }

    [Fact]
    public void scontrol_records_and_config_are_read_as_key_values()
    {
        // Given scontrol -o show job and scontrol show config output
        var job = QueueParser.ParseKeyValues("JobId=38 ArrayJobId=32 ArrayTaskId=1 JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0\n");
        var config = QueueParser.ParseKeyValues("Configuration data as of 2026-11-22T08:05:52\nMaxArraySize            = 1001\nMaxJobCount             = 100000\n");

        // Then fields are found by key
        job["ExitCode"].ShouldBe("3:0");
        config["MaxArraySize"].ShouldBe("1001");
    }

    [Fact]
    public void scripts_of_one_run_are_found_by_path_with_one_id_per_array()
    {
        // Given the user's jobs: two arrays of the run (tasks listed one by one and as a range), one of another run, one plain job
        var text = """
            25|/r/e/run1/.expt/slurm/array-0001.sbatch|
            25|/r/e/run1/.expt/slurm/array-0001.sbatch|
            42|/r/e/run1/.expt/slurm/array 0002|odd.sbatch|
            43|/r/e/run10/.expt/slurm/array-0001.sbatch|
            7|true|
            """;

        // When parsed for run1's folder
        var scripts = QueueParser.ParseScripts(text, "/r/e/run1/.expt/slurm");

        // Then only run1's arrays, each once, with the whole path even when it holds a '|'
        scripts.Keys.ShouldBe(["25", "42"], ignoreOrder: true);
        scripts["42"].ShouldBe("/r/e/run1/.expt/slurm/array 0002|odd.sbatch");
    }
}
