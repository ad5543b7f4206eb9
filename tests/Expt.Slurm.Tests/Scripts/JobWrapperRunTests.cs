using System.Collections.Concurrent;
using Expt.Slurm.Tests.Support;
using Expt.Testing;

namespace Expt.Slurm.Tests.Scripts;

/// <summary>
/// The rendered SLURM wrapper run for real with sh, ps and awk, outside SLURM: its memory sampler must end for
/// certain, and the wrapper must never wait for it without a bound (a wrapper that hangs holds its allocation,
/// GPUs included, until the time limit).
/// </summary>
public sealed class JobWrapperRunTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("expt-wrapper");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task a_thousand_wrappers_of_instant_commands_all_end_and_record_their_exit()
    {
        // Given 1,000 jobs whose command ends at once (before their sampler has started, often)
        var jobs = Enumerable.Range(0, 1000).Select(i => new WrapperJob(_dir.Path, $"j{i}", "true")).ToList();

        // When their wrappers run 8 at a time, each allowed 60 s
        var hung = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (job, _) =>
        {
            var run = await job.RunAsync(Bound);
            if (!run.Ended) hung.Add(run.Output);
        });

        // Then none hangs, and each records its exit code
        hung.ShouldBeEmpty($"{hung.Count} of 1000 wrappers hung: {string.Join("; ", hung.Take(5))}");
        jobs.Where(j => j.ExitRecord()?.Contains("\"exitCode\": 0,", StringComparison.Ordinal) != true).Select(j => j.Directory).ShouldBeEmpty();
    }

    [Fact]
    public async Task a_sampler_that_never_gets_its_signal_still_ends_when_the_command_does()
    {
        // Given a wrapper whose SIGTERM to the sampler is always lost (ignored from the start, as it is when it
        // reaches the sampler before the sampler has started) and a command that runs until the sampler has sampled
        var job = new WrapperJob(_dir.Path, "lost-signal", WaitFor("[ -e .expt/.rss-0 ]"));

        // When it runs
        var run = await job.RunAsync(Bound, ignoreTerm: true);

        // Then it ends all the same and records the exit
        run.Ended.ShouldBeTrue(run.Output);
        run.ExitCode.ShouldBe(0, run.Output);
        job.ExitRecord().ShouldNotBeNull().ShouldContain("\"exitCode\": 0,");
    }

    [Fact]
    public async Task a_sampler_stuck_in_ps_is_killed_and_the_wrapper_still_records_the_end()
    {
        // Given a ps that never answers the sampler (it records the sampler's pid, then blocks while that record
        // exists), a signal the sampler never gets, and a command that ends once the sampler is stuck
        var bin = Directory.CreateDirectory(_dir.Combine("bin")).FullName;
        var stuck = _dir.Combine("sampler-stuck");
        File.WriteAllText(Path.Combine(bin, "ps"), $$"""
            #!/bin/sh
            case " $* " in
              *" -e "*)
                echo "$EXPT_RSS_SELF" > '{{stuck}}.tmp' && mv -f '{{stuck}}.tmp' '{{stuck}}'
                i=0
                while [ -e '{{stuck}}' ] && [ "$i" -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
                exit 1 ;;
            esac
            exec '{{RealPs()}}' "$@"

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "ps"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var job = new WrapperJob(_dir.Path, "stuck", WaitFor($"[ -e '{stuck}' ]"));
        try
        {
            // When it runs
            var run = await job.RunAsync(Bound, ignoreTerm: true, path: bin + ":" + Environment.GetEnvironmentVariable("PATH"));

            // Then it gives up on the sampler after its bound, records the end, and leaves no sampler running
            run.Ended.ShouldBeTrue(run.Output);
            run.ExitCode.ShouldBe(0, run.Output);
            job.ExitRecord().ShouldNotBeNull().ShouldContain("\"exitCode\": 0,");
            var sampler = File.ReadAllText(stuck).Trim();
            Running(sampler).ShouldBeFalse($"the sampler {sampler} outlived its wrapper");
        }
        finally
        {
            File.Delete(stuck);
        }
    }

    [Fact]
    public async Task peak_memory_is_recorded_when_the_command_execs_a_program()
    {
        // Given a command that execs a shell holding about 30 MB until the sampler has seen that much
        var job = new WrapperJob(_dir.Path, "memory", """
            exec sh -c 'x=$(head -c 30000000 /dev/zero | tr "\0" a); i=0; while [ "$(cat .expt/.rss-0 2> /dev/null || echo 0)" -lt 20000 ] && [ "$i" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done'
            """);

        // When it runs
        var run = await job.RunAsync(Bound);

        // Then its exit record has the peak
        run.Ended.ShouldBeTrue(run.Output);
        var record = job.ExitRecord().ShouldNotBeNull();
        var peak = System.Text.RegularExpressions.Regex.Match(record, "\"peakRssKb\": \"([0-9]+)\"");
        peak.Success.ShouldBeTrue(record);
        long.Parse(peak.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(20000);
    }

    /// <summary>A command that waits (at most 30 s) until a condition holds, then ends with 0.</summary>
    private static string WaitFor(string condition) =>
        $"i=0; while ! {condition} && [ \"$i\" -lt 300 ]; do sleep 0.1; i=$((i + 1)); done; exit 0";

    /// <summary>The real ps, for the fake one to hand every other call to.</summary>
    private static string RealPs() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Select(d => Path.Combine(d, "ps")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("no ps on PATH");

    /// <summary>Whether the process exists and is not a zombie (gone from /proc, or state Z, is not running).</summary>
    private static bool Running(string pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
