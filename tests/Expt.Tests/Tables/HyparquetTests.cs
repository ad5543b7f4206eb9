using System.Diagnostics;
using System.Text.Json.Nodes;
using Expt.Tables;

namespace Expt.Tests.Tables;

/// <summary>
/// A second, independent reader: hyparquet (JavaScript, from the npm registry) reads what Expt writes. It needs node and
/// <c>npm ci</c> in scripts/parquet-check; CI sets EXPT_REQUIRE_HYPARQUET=1, and then a missing reader fails the test.
/// </summary>
public sealed class HyparquetTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-hyparquet");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_a_table_written_by_Expt_when_hyparquet_reads_it_then_rows_types_and_metadata_are_the_same()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "parquet-check", "read.mjs");
        var installed = Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "hyparquet"));
        if (!installed)
        {
            Environment.GetEnvironmentVariable("EXPT_REQUIRE_HYPARQUET").ShouldNotBe("1", "hyparquet is not installed: run npm ci in scripts/parquet-check");
            return;
        }
        // Given
        var path = _dir.Combine("t.parquet");
        await ParquetTableFile.WriteAsync(ParquetTableFileTests.EveryType(), path);

        // When
        var json = JsonNode.Parse(Run("node", script, path))!;

        // Then
        json["columns"]!.AsArray().Select(c => $"{c!["name"]}:{c["type"]}:{c["logical"]}").ShouldBe([
            "job:BYTE_ARRAY:STRING", "rank:INT64:INTEGER", "acc:DOUBLE:", "ok:BOOLEAN:", "started:INT64:TIMESTAMP"]);
        var rows = json["rows"]!.AsArray();
        rows.Count.ShouldBe(3);
        rows[0]!.ToJsonString().ShouldBe("""{"job":"r1","rank":1,"acc":0.5,"ok":true,"started":"2026-11-29T21:12:00.123Z"}""");
        rows[1]!.ToJsonString().ShouldBe("""{"job":"r2, \u0022quoted\u0022\nline","rank":null,"acc":"NaN","ok":false,"started":null}""");
        rows[2]!.ToJsonString().ShouldBe("""{"job":null,"rank":-3,"acc":null,"ok":null,"started":"2026-11-29T21:12:01.623Z"}""");
        json["metadata"]!.ToJsonString().ShouldBe("""{"experiment":"toy","notes":"first try\nsecond line","schema_version":"1"}""");
    }

    private static string Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit(120_000).ShouldBeTrue("node did not finish within two minutes");
        process.ExitCode.ShouldBe(0, stderr.Result);
        return stdout.Result;
    }

    private static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Expt.slnx"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("the repository root was not found");
    }
}
