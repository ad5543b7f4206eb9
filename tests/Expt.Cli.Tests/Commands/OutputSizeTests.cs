using System.Text.Json.Nodes;
using Expt.Catalog;
using Expt.Cli.Tests.Support;
using Expt.Design;
using Microsoft.Data.Sqlite;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// A real run records the bytes each job left (status.json <c>outputBytes</c>), the catalog keeps them while the run
/// goes, and <see cref="JobHistory"/> gives them back for <c>expt design</c>.
/// </summary>
public sealed class OutputSizeTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-output");

    public void Dispose() => _dir.Dispose();

    private string Results => _dir.Combine("results");

    private const int BytesPerSize = 100_000;

    // Each job writes size × 100,000 bytes and links to a 4 MiB "dataset" outside that is no output of its own.
    private string Spec()
    {
        var dataset = _dir.Combine("data", "big.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(dataset)!);
        File.WriteAllBytes(dataset, new byte[4 << 20]);
        _dir.File("exp/write.sh", $"head -c $(( $1 * {BytesPerSize} )) /dev/zero > \"$2/out.bin\"\nln -s '{dataset}' \"$2/data.bin\"\n");
        return _dir.File("exp/experiment.yaml", """
            experiment: sizes
            params:
              size: { type: int, default: 1 }
            matrix: { size: [1, 3] }
            name: "s{size}"
            run: sh write.sh {size} {output_dir}
            args: none
            """);
    }

    [Fact]
    public async Task Given_jobs_that_write_files_of_known_size_when_run_then_status_the_live_catalog_and_the_history_have_their_output_bytes()
    {
        // Given: a catalog that exists before the run, so the runner keeps it current.
        var spec = Spec();
        Directory.CreateDirectory(Results);
        (await CliHarness.RunAsync("ls", "--results", Results)).ExitCode.ShouldBe(0);

        // When
        var run = await CliHarness.RunAsync("run", spec, "--results", Results, "--run-id", "r");
        run.ExitCode.ShouldBe(0, run.Out + run.Error);

        // Then: status.json has the file written and Expt's few small files, not the 4 MiB the link points to.
        foreach (var size in new[] { 1, 3 })
        {
            var status = JsonNode.Parse(File.ReadAllText(Path.Combine(Results, "sizes", "r", $"s{size}", "status.json")))!;
            var bytes = status["outputBytes"]!.GetValue<long>();
            bytes.ShouldBeInRange(size * BytesPerSize, (size * BytesPerSize) + 64_000, status.ToJsonString());
        }
        // The catalog as the runner left it (read without bringing it up to date from the files).
        var live = CatalogOutputBytes();
        live["s1"]!.Value.ShouldBeInRange(BytesPerSize, BytesPerSize + 64_000);
        live["s3"]!.Value.ShouldBeInRange(3 * BytesPerSize, (3 * BytesPerSize) + 64_000);
        // And the history of the experiment.
        var history = JobHistory.Read(Results, "sizes");
        history.Warnings.ShouldBeEmpty();
        history.Runs.ShouldBe(1);
        var bySize = history.Jobs.ToDictionary(j => j.Params["size"]!.GetValue<double>());
        bySize[1].Measures.OutputBytes.ShouldBe(live["s1"]);
        bySize[3].Measures.OutputBytes.ShouldBe(live["s3"]);
        bySize[3].Measures.WallSeconds.ShouldBeGreaterThan(0);
        bySize[3].Measures.CpuSeconds.ShouldNotBeNull();
        bySize[3].Stage.ShouldBe("main");
    }

    private Dictionary<string, long?> CatalogOutputBytes()
    {
        using var connection = new SqliteConnection($"Data Source={CatalogStore.PathFor(Results)};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT job, output_bytes FROM jobs";
        using var reader = command.ExecuteReader();
        var bytes = new Dictionary<string, long?>(StringComparer.Ordinal);
        while (reader.Read()) bytes[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        return bytes;
    }
}
