using System.Text;
using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>
/// A job's files are the job's to write: one that expands or grows without end is left unread with one warning
/// naming it (<see cref="ReadLimits"/>), instead of crashing or stalling every listing of the results root.
/// </summary>
public sealed class ReadLimitTests
{
    private const string HeaderStart = """{"version": 2, "status": "success", "eval": {"task": "bomb", "created": "2025-01-01T00:00:00+00:00"}, "plan": """ + "\"";

    [Fact]
    public void Given_a_small_eval_whose_header_expands_to_gigabytes_when_reading_then_it_is_one_warning_naming_it_and_other_logs_are_read()
    {
        // Given: 2.5 GiB of header in a file of a few MB.
        using var job = new TempJobDirectory();
        string bomb = job.PathOf("logs/bomb.eval");
        ZipBomb.Write(bomb, "header.json", HeaderStart, (byte)'x', 2560, "\"}");
        job.CopyFixture(Fixtures.ReadSample, "logs/" + Fixtures.ReadSample);

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        new FileInfo(bomb).Length.ShouldBeLessThan(4 * 1024 * 1024);
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.File.ShouldBe(bomb);
        warning.NotRead.ShouldBeTrue();
        warning.Message.ShouldBe("could not be read as an Inspect log: header.json expands to 2.5 GiB, more than the 64 MiB read at most");
        metrics.InspectLogs.ShouldHaveSingleItem().Path.ShouldEndWith(Fixtures.ReadSample);
    }

    [Fact]
    public void Given_an_eval_whose_header_declares_1_KB_but_holds_gigabytes_when_reading_then_it_returns_with_one_warning_naming_it()
    {
        // Given: the zip lies about the size; what is decompressed is bounded by the bytes that come out, not by it.
        using var job = new TempJobDirectory();
        string bomb = job.PathOf("bomb.eval");
        ZipBomb.Write(bomb, "header.json", HeaderStart, (byte)'x', 2560, "\"}", declaredSize: 1000);

        // When
        var warnings = new List<MetricsWarning>();
        InspectLogSummary? log = InspectLogReader.Read(bomb, warnings);

        // Then
        log.ShouldBeNull();
        MetricsWarning warning = warnings.ShouldHaveSingleItem();
        warning.File.ShouldBe(bomb);
        warning.NotRead.ShouldBeTrue();
    }

    [Fact]
    public void Given_a_json_log_whose_part_before_the_samples_is_over_the_limit_when_reading_then_it_is_one_warning()
    {
        // Given
        using var job = new TempJobDirectory();
        string path = WriteLong(job.PathOf("logs/huge.json"), HeaderStart, ReadLimits.InspectHeaderBytes + 1, "\", \"samples\": []}");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.File.ShouldBe(path);
        warning.Message.ShouldContain("larger than the 64 MiB read at most");
    }

    [Fact]
    public void Given_a_large_json_file_of_another_kind_when_reading_then_it_is_recognised_from_its_first_name_without_a_warning()
    {
        // Given: a dataset, not a log; its first value alone is over the limit.
        using var job = new TempJobDirectory();
        WriteLong(job.PathOf("data/train.json"), "{\"rows\": \"", ReadLimits.InspectHeaderBytes + 1, "\"}");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Warnings.ShouldBeEmpty();
        metrics.InspectLogs.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_metrics_json_over_its_limit_when_reading_then_it_is_not_read_and_says_its_size()
    {
        // Given: sparse, so the test writes nothing.
        using var job = new TempJobDirectory();
        using (var file = new FileStream(job.PathOf("metrics.json"), FileMode.CreateNew))
        {
            file.SetLength(ReadLimits.MetricsJsonBytes + 1);
        }

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.NotRead.ShouldBeTrue();
        warning.Message.ShouldBe("is larger than the 64 MiB read at most; it was not read");
    }

    [Fact]
    public void Given_a_metrics_jsonl_over_its_limit_when_reading_then_it_is_not_read()
    {
        // Given: sparse, 1 GiB of zero bytes and one more.
        using var job = new TempJobDirectory();
        using (var file = new FileStream(job.PathOf("metrics.jsonl"), FileMode.CreateNew))
        {
            file.SetLength(ReadLimits.MetricsJsonlBytes + 1);
        }

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.NotRead.ShouldBeTrue();
        warning.Message.ShouldBe("is larger than the 1 GiB read at most; it was not read");
        metrics.Series.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_metrics_jsonl_line_over_the_line_limit_when_reading_then_that_line_is_skipped_and_the_rest_are_read()
    {
        // Given
        using var job = new TempJobDirectory();
        job.Write("metrics.jsonl", "{\"step\": 1, \"loss\": 0.5}\n{\"step\": 2, \"note\": \"" + new string('x', ReadLimits.MetricsJsonlLineBytes) + "\"}\n{\"step\": 3, \"loss\": 0.25}\n");

        // When
        JobMetrics metrics = MetricsReader.Read(job.Path);

        // Then
        metrics.Series["loss"].Select(p => p.Step).ShouldBe([1L, 3L]);
        metrics.Series.ContainsKey("note").ShouldBeFalse();
        MetricsWarning warning = metrics.Warnings.ShouldHaveSingleItem();
        warning.Line.ShouldBe(2);
        warning.Message.ShouldBe("is longer than 1 MiB and was skipped");
    }

    /// <summary>Writes <paramref name="start"/>, then <paramref name="length"/> bytes of <c>x</c>, then <paramref name="end"/>.</summary>
    private static string WriteLong(string path, string start, long length, string end)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.CreateNew);
        file.Write(Encoding.UTF8.GetBytes(start));
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'x');
        for (long left = length; left > 0; left -= chunk.Length) file.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        file.Write(Encoding.UTF8.GetBytes(end));
        return path;
    }
}
