using Expt.Cli.Tests.Support;
using Expt.Tables;

namespace Expt.Cli.Tests.Commands;

/// <summary><c>expt inspect</c> on seed 004-shaped results: a split column, a boolean verified column, several files.</summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-inspect-t");

    public void Dispose() => _dir.Dispose();

    private const string Claude = "query_id,split,candidate_index,verified\r\n"
        + "q1,math,0,true\r\nq1,math,1,false\r\nq2,code,0,true\r\nq2,code,1,true\r\n"
        + "q3,tool_calling,0,false\r\nq3,tool_calling,1,true\r\nq4,math,0,true\r\nq4,math,1,false\r\n";

    private async Task<(string Claude, string OpenAi)> Seed004Files()
    {
        var claude = _dir.File("claude_100x8.csv", Claude);
        // The second as Parquet with metadata, as seed 004 keeps its results.
        var openai = _dir.Combine("openai_100x8.parquet");
        var table = TextTableFile.ReadCsv(claude, Claude.Replace("true", "TMP", StringComparison.Ordinal).Replace("false", "true", StringComparison.Ordinal).Replace("TMP", "false", StringComparison.Ordinal));
        await ParquetTableFile.WriteAsync(table with { Metadata = [new("model", "gpt-4o"), new("notes", "OpenAI run\nN=8")] }, openai);
        return (claude, openai);
    }

    [Fact]
    public async Task Given_two_seed_004_shaped_files_when_inspected_by_split_then_the_rates_per_split_are_side_by_side()
    {
        // Given
        var (claude, openai) = await Seed004Files();

        // When
        var result = await CliHarness.RunAsync("inspect", claude, openai, "--by", "split");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        Snapshot.Match(result.Out.Replace(_dir.Path, "<dir>", StringComparison.Ordinal), "inspect-seed004");
    }

    [Fact]
    public async Task Given_one_file_when_inspected_as_json_then_the_per_split_rates_are_in_it()
    {
        var (claude, _) = await Seed004Files();

        var result = await CliHarness.RunAsync("inspect", claude, "--by", "split", "--json");

        result.ExitCode.ShouldBe(0, result.Error);
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!.AsArray()[0]!;
        json["rows"]!.GetValue<long>().ShouldBe(8);
        var groups = json["groups"]!.AsArray();
        groups.Select(g => $"{g!["group"]}:{g["values"]!["verified"]}").ShouldBe([":0.625", "code:1", "math:0.5", "tool_calling:0.5"]);
    }

    [Theory]
    [InlineData("missing.parquet", "no such file")]
    [InlineData("results.txt", "expected a .parquet, .csv or .jsonl")]
    public async Task Given_a_file_that_cannot_be_inspected_when_inspected_then_one_error_names_it(string name, string why)
    {
        if (name.EndsWith(".txt", StringComparison.Ordinal)) _dir.File(name, "x");

        var result = await CliHarness.RunAsync("inspect", _dir.Combine(name));

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(why);
    }
}
