using System.Text;

namespace Expt.Metrics;

/// <summary>
/// Python's <c>json.dump</c> writes <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> as bare words, which
/// are not JSON; a diverged training run writes exactly these. When a file fails to parse, it is
/// rewritten with each such word replaced by a marker string that no real metric contains, and the
/// markers are read back as the corresponding doubles.
/// </summary>
internal static class NonFiniteJson
{
    private const string NaNMarker = "\0NaN";
    private const string PositiveMarker = "\0Infinity";
    private const string NegativeMarker = "\0-Infinity";

    /// <summary>The input with bare non-finite words replaced by markers, or null when it has none.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> json)
    {
        List<byte>? output = null;
        bool inString = false;
        bool escaped = false;
        int copiedUpTo = 0;
        for (int i = 0; i < json.Length; i++)
        {
            byte b = json[i];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
                continue;
            }

            string? marker = null;
            int wordLength = 0;
            if (json[i..].StartsWith("NaN"u8))
            {
                (marker, wordLength) = (@"\u0000NaN", 3);
            }
            else if (json[i..].StartsWith("Infinity"u8))
            {
                (marker, wordLength) = (@"\u0000Infinity", 8);
            }
            else if (json[i..].StartsWith("-Infinity"u8))
            {
                (marker, wordLength) = (@"\u0000-Infinity", 9);
            }

            if (marker is null)
            {
                continue;
            }

            output ??= new List<byte>(json.Length + 32);
            output.AddRange(json[copiedUpTo..i]);
            output.Add((byte)'"');
            output.AddRange(Encoding.ASCII.GetBytes(marker));
            output.Add((byte)'"');
            i += wordLength - 1;
            copiedUpTo = i + 1;
        }

        if (output is null)
        {
            return null;
        }

        output.AddRange(json[copiedUpTo..]);
        return [.. output];
    }

    /// <summary>A string value as a metric: a marker becomes its double, anything else stays text.</summary>
    public static MetricValue FromString(string text) =>
        text.Length > 0 && text[0] == '\0'
            ? text switch
            {
                NaNMarker => MetricValue.FromNumber(double.NaN),
                PositiveMarker => MetricValue.FromNumber(double.PositiveInfinity),
                NegativeMarker => MetricValue.FromNumber(double.NegativeInfinity),
                _ => MetricValue.FromText(text),
            }
            : MetricValue.FromText(text);
}
