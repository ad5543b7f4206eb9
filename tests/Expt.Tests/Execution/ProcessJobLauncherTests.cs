using System.ComponentModel;
using Expt.Execution;
using Expt.Execution.Local;

namespace Expt.Tests.Execution;

/// <summary>The local launcher on real processes: how it starts a job's wrapper, reaps it, and measures its peak memory.</summary>
public sealed class ProcessJobLauncherTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("expt-launch");

    public void Dispose() => _dir.Dispose();

    // 100 MiB made resident in one system call and released at once: a peak of a few milliseconds, which sampling misses.
    private const string Spike = """
        import mmap
        m = mmap.mmap(-1, 100 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE)
        m.close()
        """;

    private JobLaunch Job(string command, string name = "job")
    {
        var dir = _dir.Combine(name);
        Directory.CreateDirectory(dir);
        return new JobLaunch(name, dir, _dir.Path, command, new Dictionary<string, string> { ["EXPT_TEST_VALUE"] = "a b" }, 1, null);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
        return condition();
    }

    private static async Task<JobExit> Run(JobLaunch launch)
    {
        var handle = new ProcessJobLauncher(TimeProvider.System).Launch(launch);
        return await handle.Completion.WaitAsync(Limit);
    }

    [Fact]
    public async Task Given_a_job_whose_memory_peaks_for_an_instant_when_it_ends_then_its_exit_has_the_kernels_peak()
    {
        // Given
        _dir.File("spike.py", Spike);

        // When
        var exit = await Run(Job("python3 spike.py"));

        // Then
        exit.ExitCode.ShouldBe(0);
        exit.Recorded.ShouldBeTrue();
        exit.PeakRssMb.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(100);
    }

    [Fact]
    public async Task Given_the_peak_is_in_a_grandchild_of_the_command_when_the_job_ends_then_it_is_counted()
    {
        // Given: the command's python starts a shell, which starts the python that allocates.
        _dir.File("spike.py", Spike);
        _dir.File("parent.py", "import subprocess\nsubprocess.run(['sh', '-c', 'python3 spike.py; true'], check=True)\n");

        // When
        var exit = await Run(Job("python3 parent.py"));

        // Then
        exit.ExitCode.ShouldBe(0);
        exit.PeakRssMb.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(100);
    }

    [Fact]
    public async Task Given_a_job_when_it_runs_then_its_wrapper_leads_its_own_session_with_default_signals_and_none_of_the_runners_streams()
    {
        // Given: the command reports its own signal state, environment and directory, then waits.
        var launch = Job("""
            grep -E '^Sig(Ign|Blk)' /proc/self/status > signals
            printf %s "$EXPT_TEST_VALUE" > env
            pwd > cwd
            sleep 300
            """);

        // When
        var handle = new ProcessJobLauncher(TimeProvider.System).Launch(launch);
        string[] wrapper;
        List<string?> streams;
        List<string> wrapperSignals;
        var runnerStreams = new[] { 0, 1, 2 }.Select(fd => new FileInfo($"/proc/self/fd/{fd}").LinkTarget).ToList();
        try
        {
            (await WaitUntilAsync(() => File.Exists(Path.Combine(_dir.Path, "cwd")))).ShouldBeTrue();
            wrapper = File.ReadAllLines($"/proc/{handle.Pid}/stat")[0].Split(' ');
            streams = Directory.GetFiles($"/proc/{handle.Pid}/fd").Select(f => new FileInfo(f).LinkTarget).ToList();
            wrapperSignals = File.ReadAllLines($"/proc/{handle.Pid}/status").Where(l => l.StartsWith("SigIgn", StringComparison.Ordinal)).ToList();
        }
        finally
        {
            await handle.TerminateAsync(TimeSpan.FromSeconds(5));
        }

        // Then: session id (field 6) is its pid; its streams are /dev/null and its error file (and the logs it redirects to).
        wrapper[5].ShouldBe(handle.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        streams.ShouldContain(Path.Combine(launch.ControlDirectory, "job.sh.err"));
        streams.ShouldNotContain(t => runnerStreams.Contains(t) && t != "/dev/null", string.Join(", ", streams));
        // .NET ignores SIGPIPE; a job must not inherit that, nor anything the runner blocks.
        wrapperSignals.ShouldBe(["SigIgn:\t0000000000000000"]);
        File.ReadAllLines(Path.Combine(_dir.Path, "signals")).ShouldBe(["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"]);
        File.ReadAllText(Path.Combine(_dir.Path, "env")).ShouldBe("a b");
        File.ReadAllText(Path.Combine(_dir.Path, "cwd")).Trim().ShouldBe(_dir.Path);
    }

    [Fact]
    public async Task Given_a_wrapper_killed_before_it_records_its_end_when_it_is_reaped_then_the_exit_is_128_plus_the_signal_and_no_zombie_remains()
    {
        // Given
        var launch = Job("touch started; sleep 300");
        var handle = new ProcessJobLauncher(TimeProvider.System).Launch(launch);
        var started = await WaitUntilAsync(() => File.Exists(Path.Combine(_dir.Path, "started")));

        // When: the whole session is killed, the wrapper with it.
        Expt.Internal.Native.Kill(-handle.Pid, Expt.Internal.Native.SIGKILL);
        var exit = await handle.Completion.WaitAsync(Limit);

        // Then
        started.ShouldBeTrue();
        exit.ExitCode.ShouldBe(137);
        exit.Recorded.ShouldBeFalse();
        exit.PeakRssMb.ShouldNotBeNull().ShouldBeGreaterThan(0);
        Directory.Exists($"/proc/{handle.Pid}").ShouldBeFalse("the wrapper was not reaped");
    }

    [Fact]
    public void Given_a_job_whose_error_file_cannot_be_opened_when_it_is_launched_then_launch_fails_saying_why()
    {
        // Given: the wrapper's stderr file is a directory.
        var launch = Job("true");
        Directory.CreateDirectory(Path.Combine(launch.ControlDirectory, "job.sh.err"));

        // When
        var error = Should.Throw<Win32Exception>(() => new ProcessJobLauncher(TimeProvider.System).Launch(launch));

        // Then
        error.Message.ShouldContain("could not start /bin/sh");
        error.Message.ShouldContain("directory");
    }
}
