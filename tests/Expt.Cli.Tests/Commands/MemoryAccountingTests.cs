using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Peak memory in status.json is the kernel's, not only what sampling happened to see.</summary>
public sealed class MemoryAccountingTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-mem");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    // 100 MiB made resident in one system call and released at once, then a quiet half second in which sampling
    // sees a small Python process: the peak lasts a few milliseconds of a 0.5 s sampling period.
    private const string Spike = """
        import mmap, time
        m = mmap.mmap(-1, 100 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE)
        m.close()
        time.sleep(0.6)
        """;

    private async Task<JsonNode> RunAsync(string experiment, string run)
    {
        var spec = _dir.File($"{experiment}/experiment.yaml", $"experiment: {experiment}\nrun: {run}\nargs: none\n");
        _dir.File($"{experiment}/spike.py", Spike);
        _dir.File($"{experiment}/parent.py", "import subprocess\nsubprocess.run(['sh', '-c', 'python3 spike.py; true'], check=True)\n");
        var result = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(Results, experiment, "r", "default", "status.json")))!;
    }

    [Fact]
    public async Task Given_a_job_whose_memory_peaks_between_two_samples_when_it_ends_then_status_records_the_peak()
    {
        // When
        var status = await RunAsync("spike", "python3 spike.py");

        // Then
        var attempt = status["attempts"]![0]!;
        attempt["peakRssMb"].ShouldNotBeNull(status.ToJsonString());
        attempt["peakRssMb"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(100, status.ToJsonString());
        status["accounting"]!["peakRssMb"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(100);
    }

    [Fact]
    public async Task Given_a_grandchild_of_the_command_whose_memory_peaks_between_two_samples_when_the_job_ends_then_status_records_the_peak()
    {
        // When: python starts a shell that starts the python that allocates.
        var status = await RunAsync("nested", "python3 parent.py");

        // Then
        status["attempts"]![0]!["peakRssMb"]!.GetValue<double>().ShouldBeGreaterThanOrEqualTo(100, status.ToJsonString());
    }
}
