using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Expt.Internal;

namespace Expt.Metrics;

/// <summary>
/// Streams a job's <c>metrics.jsonl</c>: one <c>{"step": n, "name": value, ...}</c> object per line.
/// </summary>
/// <remarks>
/// Lines are split on raw bytes and each is parsed in place with <see cref="Utf8JsonReader"/>, so the
/// only allocations per line are the points themselves. A line is taken whole or not at all.
/// A last line without its newline that does not parse is a job still writing, and is ignored without
/// a warning; any other line that does not parse is a warning with its line number.
/// </remarks>
internal sealed class MetricsJsonlFile
{
    private const int InitialBufferSize = 64 * 1024;
    private const string StepName = "step";

    private readonly MetricNames _names;
    private readonly Dictionary<string, List<MetricPoint>> _series;
    private readonly FileWarnings _warnings;
    private readonly List<KeyValuePair<string, MetricValue>> _lineValues = [];
    private readonly List<string> _skipped = [];

    private MetricsJsonlFile(MetricNames names, Dictionary<string, List<MetricPoint>> series, FileWarnings warnings)
    {
        _names = names;
        _series = series;
        _warnings = warnings;
    }

    /// <summary>Appends every well-formed line's values to <paramref name="series"/>.</summary>
    public static void Read(string path, MetricNames names, Dictionary<string, List<MetricPoint>> series, FileWarnings warnings)
    {
        if (RegularFile.Problem(path) is { } notRegular)
        {
            warnings.NotRead(notRegular);
            return;
        }

        try
        {
            // ReadWrite sharing: the job may still be appending to the file.
            using var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
            if (stream.Length > ReadLimits.MetricsJsonlBytes)
            {
                warnings.NotRead($"is larger than the {ReadLimits.Format(ReadLimits.MetricsJsonlBytes)} read at most; it was not read");
                return;
            }

            // Only what was there at opening: lines appended meanwhile are for the next read, and a job writing
            // without end cannot keep the reader here.
            new MetricsJsonlFile(names, series, warnings).ReadLines(stream, stream.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.NotRead($"could not be read: {e.Message}");
        }
    }

    private void ReadLines(Stream stream, long length)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            int start = 0;
            int end = 0;
            int lineNumber = 0;
            long left = length;
            bool endOfFile = false;
            // Within a line longer than the limit: its bytes are dropped until its newline.
            bool skipping = false;
            while (true)
            {
                int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    if (skipping)
                    {
                        skipping = false;
                    }
                    else
                    {
                        ReadLine(buffer.AsSpan(start, newline), ++lineNumber, terminated: true);
                    }

                    start += newline + 1;
                    continue;
                }

                if (endOfFile)
                {
                    if (end > start && !skipping)
                    {
                        ReadLine(buffer.AsSpan(start, end - start), ++lineNumber, terminated: false);
                    }

                    return;
                }

                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                if (skipping)
                {
                    end = 0;
                }
                else if (end >= ReadLimits.MetricsJsonlLineBytes)
                {
                    _warnings.Add(++lineNumber, $"is longer than {ReadLimits.Format(ReadLimits.MetricsJsonlLineBytes)} and was skipped");
                    skipping = true;
                    end = 0;
                }
                else if (end == buffer.Length)
                {
                    // A line longer than the buffer: grow it rather than cut the line.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = left == 0 ? 0 : stream.Read(buffer, end, (int)Math.Min(buffer.Length - end, left));
                if (read == 0)
                {
                    endOfFile = true;
                }
                else
                {
                    end += read;
                    left -= read;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadLine(ReadOnlySpan<byte> line, int lineNumber, bool terminated)
    {
        if (lineNumber == 1 && line.StartsWith(FlatJsonObject.ByteOrderMark))
        {
            line = line[3..];
        }

        line = line.Trim(" \t\r"u8);
        if (line.IsEmpty)
        {
            return;
        }

        if (!TryParse(line, out JsonException? error, out string? shapeProblem)
            && error is not null
            && NonFiniteJson.Rewrite(line) is { } rewritten)
        {
            TryParse(rewritten, out error, out shapeProblem);
        }

        if (error is not null)
        {
            if (terminated)
            {
                _warnings.Add(lineNumber, FlatJsonObject.Describe(error));
            }

            return;
        }

        if (shapeProblem is not null)
        {
            _warnings.Add(lineNumber, shapeProblem);
            return;
        }

        foreach (string name in _skipped)
        {
            _warnings.Add(lineNumber, $"'{name}' is not a number, string or boolean and was skipped");
        }

        if (!TryGetStep(lineNumber, out long step))
        {
            return;
        }

        foreach ((string name, MetricValue value) in _lineValues)
        {
            if (name == StepName)
            {
                continue;
            }

            ref List<MetricPoint>? points = ref CollectionsMarshal.GetValueRefOrAddDefault(_series, name, out _);
            points ??= [];
            points.Add(new MetricPoint(step, value));
        }
    }

    private bool TryParse(ReadOnlySpan<byte> line, out JsonException? error, out string? shapeProblem)
    {
        error = null;
        shapeProblem = null;
        _lineValues.Clear();
        _skipped.Clear();
        _names.Reset();
        var reader = new Utf8JsonReader(line, FlatJsonObject.ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                shapeProblem = "is not a JSON object";
                return false;
            }

            FlatJsonObject.Read(ref reader, _names, _lineValues, _skipped);
            reader.Read();
            return true;
        }
        catch (JsonException e)
        {
            error = e;
            return false;
        }
    }

    private bool TryGetStep(int lineNumber, out long step)
    {
        foreach ((string name, MetricValue value) in _lineValues)
        {
            if (name == StepName)
            {
                if (value.AsNumber is { } number && double.IsFinite(number) && number == Math.Floor(number))
                {
                    step = (long)number;
                    return true;
                }

                _warnings.Add(lineNumber, $"\"step\" is {value}, not a whole number");
                step = 0;
                return false;
            }
        }

        _warnings.Add(lineNumber, "has no \"step\"");
        step = 0;
        return false;
    }
}
