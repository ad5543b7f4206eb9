using System.Text.Json;
using Expt.Internal;

namespace Expt.Metrics;

/// <summary>Reads a job's <c>metrics.json</c>: one flat (or nested, flattened) JSON object.</summary>
internal static class MetricsJsonFile
{
    /// <summary>
    /// The file's metrics, all or nothing: a file that does not parse contributes no values and one
    /// warning, since half a file (say, one being rewritten in place) is not trustworthy.
    /// </summary>
    public static List<KeyValuePair<string, MetricValue>> Read(string path, MetricNames names, FileWarnings warnings)
    {
        var values = new List<KeyValuePair<string, MetricValue>>();
        if (RegularFile.Problem(path) is { } notRegular)
        {
            warnings.NotRead(notRegular);
            return values;
        }

        byte[] bytes;
        int length;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            if (stream.Length > ReadLimits.MetricsJsonBytes)
            {
                warnings.NotRead($"is larger than the {ReadLimits.Format(ReadLimits.MetricsJsonBytes)} read at most; it was not read");
                return values;
            }

            // At most the length seen at opening, so a file that grows meanwhile cannot take more.
            bytes = new byte[stream.Length];
            length = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.NotRead($"could not be read: {e.Message}");
            return values;
        }

        ReadOnlySpan<byte> json = bytes.AsSpan(0, length);
        if (json.StartsWith(FlatJsonObject.ByteOrderMark))
        {
            json = json[3..];
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            // Likely a job that created the file and has not written it yet.
            warnings.Add(null, "is empty");
            return values;
        }

        var skipped = new List<string>();
        if (!TryParse(json, names, values, skipped, out JsonException? error, out string? shapeProblem)
            && error is not null
            && NonFiniteJson.Rewrite(json) is { } rewritten)
        {
            values.Clear();
            skipped.Clear();
            TryParse(rewritten, names, values, skipped, out error, out shapeProblem);
        }

        if (error is not null)
        {
            values.Clear();
            warnings.Add(error.LineNumber is long line ? (int)line + 1 : null, FlatJsonObject.Describe(error));
        }
        else if (shapeProblem is not null)
        {
            warnings.Add(null, shapeProblem);
        }
        else
        {
            foreach (string name in skipped)
            {
                warnings.Add(null, $"'{name}' is not a number, string or boolean and was skipped");
            }
        }

        return values;
    }

    private static bool TryParse(
        ReadOnlySpan<byte> json,
        MetricNames names,
        List<KeyValuePair<string, MetricValue>> values,
        List<string> skipped,
        out JsonException? error,
        out string? shapeProblem)
    {
        error = null;
        shapeProblem = null;
        names.Reset();
        var reader = new Utf8JsonReader(json, FlatJsonObject.ReaderOptions);
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                shapeProblem = "is not a JSON object";
                return false;
            }

            FlatJsonObject.Read(ref reader, names, values, skipped);
            // Reading past the end makes the reader reject anything after the object.
            reader.Read();
            return true;
        }
        catch (JsonException e)
        {
            error = e;
            return false;
        }
    }
}
