using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// A job that leaves named pipes where its metrics, Inspect logs and stderr should be, and an Inspect log that
/// expands to gigabytes: the real runner ends (and lets go of its run) and every reading command of the root
/// answers, each naming the files it did not read. Every command is a real process with a bound, so a reader that
/// blocks on a FIFO fails the test rather than hanging it.
/// </summary>
public sealed class HostileFilesTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _dir = new("expt-hostile");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private const string Job = """
        import argparse, json, os, shutil, sys
        p = argparse.ArgumentParser()
        p.add_argument("--mode"); p.add_argument("--output_dir")
        a, _ = p.parse_known_args()
        out = a.output_dir
        if a.mode == "good":
            json.dump({"acc": 0.9}, open(os.path.join(out, "metrics.json"), "w"))
            sys.exit(0)
        os.makedirs(os.path.join(out, "logs"))
        shutil.copy("bomb.eval", os.path.join(out, "logs", "bomb.eval"))
        for name in ["metrics.json", "metrics.jsonl", "logs/run.json", "logs/run.eval"]:
            os.mkfifo(os.path.join(out, name))
        print("boom", file=sys.stderr)
        # The runner shows the end of stderr.log when the job fails: leave a FIFO there too.
        os.remove(os.path.join(out, "stderr.log"))
        os.mkfifo(os.path.join(out, "stderr.log"))
        sys.exit(3)
        """;

    private const string Spec = """
        experiment: hostile
        params:
          mode: { type: string, default: good }
        matrix:
          mode: [bad, good]
        name: "{mode}"
        run: python3 job.py
        """;

    [Fact]
    public async Task Given_a_job_that_leaves_fifos_and_an_eval_bomb_when_run_and_read_then_every_command_returns_and_names_those_files()
    {
        // Given: an existing catalog, which the runner keeps current when each job ends.
        _dir.File("hostile/job.py", Job);
        ZipBomb.Write(_dir.Combine("hostile", "bomb.eval"), "header.json", """{"version": 2, "status": "success", "plan": """ + "\"", (byte)'x', 2560, "\"}");
        var spec = _dir.File("hostile/experiment.yaml", Spec);
        Directory.CreateDirectory(Results);
        (await Expt("reindex")).Code.ShouldBe(0);
        var bad = Path.Combine(Results, "hostile", "h", "bad");

        // When: the run
        var run = await Expt("run", spec, "--run-id", "h", "-p", "2");

        // Then: it ends, with the failure's stderr named rather than read
        run.Code.ShouldBe(1, run.Out + run.Error);
        run.Out.ShouldContain("FAILED bad");
        run.Out.ShouldContain("(stderr.log is not a regular file");

        // When: every reading command
        var ls = await Expt("ls", "--jobs");
        var reindex = await Expt("reindex");
        var show = await Expt("show", "hostile/h");
        var export = await Expt("export", "hostile/h");
        var report = await Expt("report", "hostile/h");

        // Then: each answers, and each that reads the files names the ones it left unread
        ls.Code.ShouldBe(0, ls.Error);
        ls.Out.ShouldContain("good");
        ls.Out.ShouldContain("0.9");
        reindex.Code.ShouldBe(0, reindex.Error);
        reindex.Out.ShouldContain("Indexed 1 run(s), 2 job(s)");
        export.Code.ShouldBe(0, export.Error);
        export.Out.ShouldContain("0.9");
        show.Code.ShouldBe(0, show.Error);
        report.Code.ShouldBe(0, report.Error);
        foreach (var error in new[] { reindex.Error, show.Error, export.Error, report.Error })
        {
            error.ShouldContain($"warning: {Path.Combine(bad, "metrics.json")}: is not a regular file");
            error.ShouldContain($"warning: {Path.Combine(bad, "metrics.jsonl")}: is not a regular file");
            error.ShouldContain($"warning: {Path.Combine(bad, "logs", "run.json")}: is not a regular file");
            error.ShouldContain($"warning: {Path.Combine(bad, "logs", "run.eval")}: is not a regular file");
            error.ShouldContain($"warning: {Path.Combine(bad, "logs", "bomb.eval")}: could not be read as an Inspect log: header.json expands to 2.5 GiB");
        }
        show.Out.ShouldContain("(stderr.log is not a regular file");
    }

    private Task<(int Code, string Out, string Error)> Expt(params string[] args) =>
        ExptProcess.RunAsync(_dir.Path, Limit, [.. args, "--results", Results]);
}
