using System.Text;
using Expt.Metrics;

namespace Expt.Tests.Metrics;

/// <summary>The streaming header reader reads no more of a log than it needs.</summary>
public sealed class InspectHeaderReaderTests
{
    [Fact]
    public void Given_a_log_with_megabytes_of_samples_when_reading_the_header_then_only_the_first_kilobytes_are_read()
    {
        // Given
        int samplesAt = InspectJsonLogs.Success.IndexOf("\"samples\": [", StringComparison.Ordinal);
        var content = new StringBuilder(InspectJsonLogs.Success[..samplesAt]).Append("\"samples\": [");
        for (int i = 0; i < 50_000; i++)
        {
            content.Append("{\"id\": ").Append(i).Append(", \"input\": \"").Append('x', 100).Append("\"},");
        }

        content.Append("{}]}");
        using var stream = new CountingStream(Encoding.UTF8.GetBytes(content.ToString()));
        var header = new InspectHeader();

        // When
        bool isLog = InspectHeaderReader.Read(stream, sniff: true, header);

        // Then
        isLog.ShouldBeTrue();
        header.Task.ShouldBe("popularity");
        stream.Length.ShouldBeGreaterThan(5_000_000);
        stream.BytesRead.ShouldBeLessThan(16 * 1024);
    }

    [Fact]
    public void Given_a_json_file_that_is_not_a_log_when_sniffing_then_only_the_first_buffer_is_read()
    {
        // Given: a large JSON file of another kind, e.g. a tokenizer or trainer state.
        string content = "{\"best_metric\": 0.5, \"log_history\": [" + string.Concat(Enumerable.Repeat("{\"loss\": 1.0},", 100_000)) + "{}]}";
        using var stream = new CountingStream(Encoding.UTF8.GetBytes(content));

        // When
        bool isLog = InspectHeaderReader.Read(stream, sniff: true, new InspectHeader());

        // Then
        isLog.ShouldBeFalse();
        stream.BytesRead.ShouldBeLessThanOrEqualTo(4096);
    }

    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public long BytesRead { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int read = base.Read(buffer, offset, count);
            BytesRead += read;
            return read;
        }

        public override int Read(Span<byte> buffer)
        {
            int read = base.Read(buffer);
            BytesRead += read;
            return read;
        }
    }
}
