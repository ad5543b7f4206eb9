using System.Globalization;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt query</c> stopped by a signal while DuckDB works: it ends, with the signal's exit code, and does not hang.</summary>
public sealed class QueryInterruptTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new("expt-query-signal");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task Given_a_query_that_runs_for_hours_when_a_signal_arrives_then_expt_ends_with_its_exit_code(string signal, int expected)
    {
        // Given: a cross join of 10^12 rows, under way (the process has spent CPU on it)
        var results = _dir.Combine("results");
        Directory.CreateDirectory(results);
        using var query = ExptProcess.Start(_dir.Path, "query", "SELECT sum(a.range * b.range) FROM range(1000000) a, range(1000000) b", "--results", results);
        (await Processes.WaitUntilAsync(() => CpuSeconds(query.Pid) >= 1.0, Limit)).ShouldBeTrue(query.Error);

        // When
        query.Signal(signal);

        // Then
        (await query.WaitAsync(Limit)).ShouldBe(expected, query.Error);
        query.Error.ShouldContain("interrupted: the query was stopped");
    }

    // utime + stime of /proc/PID/stat, in clock ticks (100 per second on Linux).
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
