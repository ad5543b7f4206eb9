using System.Buffers;
using System.Text.Json;

namespace Expt.Metrics;

/// <summary>
/// Streams the top-level properties of an Inspect <c>EvalLog</c> object and stops at <c>samples</c>.
/// </summary>
/// <remarks>
/// Inspect writes the log's fields in a fixed order (<c>version</c>, <c>status</c>, <c>eval</c>, <c>plan</c>,
/// <c>results</c>, <c>stats</c>, <c>error</c>, ..., <c>samples</c>, <c>reductions</c>) and documents that the
/// order is part of the format. Everything Expt needs comes before <c>samples</c>, so a 500 MB
/// single-file log costs a few kilobytes of reading. The same order makes sniffing cheap: a JSON file
/// is taken for an Inspect log only if its first property is a numeric <c>version</c>.
/// </remarks>
internal static class InspectHeaderReader
{
    private const int InitialBufferSize = 4096;

    private enum Outcome
    {
        NeedMoreData,
        Done,
        NotAnInspectLog,
    }

    private enum Field
    {
        Other,
        Version,
        Status,
        Eval,
        Results,
        Stats,
        Error,
        Samples,
    }

    /// <summary>Reads the log header from <paramref name="stream"/> into <paramref name="header"/>.</summary>
    /// <param name="stream">The JSON, positioned at its start.</param>
    /// <param name="sniff">
    /// When true, give up (returning false) unless the first property is a numeric <c>version</c>
    /// followed by a string <c>status</c>, as in every single-file Inspect log.
    /// </param>
    /// <param name="header">Receives the fields.</param>
    /// <returns>False when sniffing decided this is not an Inspect log.</returns>
    /// <exception cref="JsonException">The JSON is malformed or ends early.</exception>
    public static bool Read(Stream stream, bool sniff, InspectHeader header)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        try
        {
            int start = 0;
            int end = 0;
            bool endOfData = false;
            bool atStart = true;
            int propertyIndex = -1;
            var state = new JsonReaderState(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (true)
            {
                if (end == buffer.Length)
                {
                    // The value being read does not fit: grow rather than give up.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = stream.Read(buffer, end, buffer.Length - end);
                endOfData = read == 0;
                end += read;
                if (atStart)
                {
                    atStart = false;
                    start = end >= 3 && buffer.AsSpan(0, 3).SequenceEqual(FlatJsonObject.ByteOrderMark) ? 3 : 0;
                }

                if (propertyIndex < 0 && endOfData && buffer.AsSpan(start, end - start).Trim(" \t\r\n"u8).IsEmpty)
                {
                    // An empty file is no log of any kind.
                    return false;
                }

                var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), endOfData, state);
                Outcome outcome = Advance(ref reader, sniff, header, ref propertyIndex);
                if (outcome != Outcome.NeedMoreData)
                {
                    return outcome == Outcome.Done;
                }

                if (endOfData)
                {
                    throw new JsonException("the log ends before its top-level object is closed");
                }

                start += (int)reader.BytesConsumed;
                state = reader.CurrentState;
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Outcome Advance(ref Utf8JsonReader reader, bool sniff, InspectHeader header, ref int propertyIndex)
    {
        while (true)
        {
            // Every return of NeedMoreData rewinds to here, so the next buffer starts on a whole property.
            Utf8JsonReader checkpoint = reader;
            if (!reader.Read())
            {
                reader = checkpoint;
                return Outcome.NeedMoreData;
            }

            if (propertyIndex < 0)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return Outcome.NotAnInspectLog;
                }

                propertyIndex = 0;
                continue;
            }

            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return Outcome.Done;
            }

            Field field = Identify(ref reader);
            if (sniff && !LooksLikeInspect(propertyIndex, field))
            {
                // Decided on the name alone, before the value: a large JSON file of another kind ({"data": ...}) is
                // recognised without reading its first value.
                return Outcome.NotAnInspectLog;
            }

            if (!reader.Read())
            {
                reader = checkpoint;
                return Outcome.NeedMoreData;
            }

            if (sniff && !LooksLikeInspect(propertyIndex, field, reader.TokenType))
            {
                return Outcome.NotAnInspectLog;
            }

            switch (field)
            {
                case Field.Samples:
                    return Outcome.Done;
                case Field.Version:
                    header.Version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int version) ? version : null;
                    break;
                case Field.Status:
                    header.Status = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    break;
                case Field.Eval or Field.Results or Field.Stats or Field.Error when reader.TokenType == JsonTokenType.StartObject:
                    Utf8JsonReader probe = reader;
                    if (!probe.TrySkip())
                    {
                        reader = checkpoint;
                        return Outcome.NeedMoreData;
                    }

                    using (JsonDocument document = JsonDocument.ParseValue(ref reader))
                    {
                        Apply(field, document.RootElement, header);
                    }

                    break;
                default:
                    if (!reader.TrySkip())
                    {
                        reader = checkpoint;
                        return Outcome.NeedMoreData;
                    }

                    break;
            }

            propertyIndex++;
        }
    }

    private static bool LooksLikeInspect(int propertyIndex, Field field) => propertyIndex switch
    {
        0 => field == Field.Version,
        1 => field == Field.Status,
        _ => true,
    };

    private static bool LooksLikeInspect(int propertyIndex, Field field, JsonTokenType valueType) => propertyIndex switch
    {
        0 => field == Field.Version && valueType == JsonTokenType.Number,
        1 => field == Field.Status && valueType == JsonTokenType.String,
        _ => true,
    };

    private static Field Identify(ref Utf8JsonReader reader)
    {
        // Inspect never escapes these ASCII names, so comparing raw bytes is exact.
        ReadOnlySpan<byte> name = reader.HasValueSequence || reader.ValueIsEscaped ? default : reader.ValueSpan;
        if (name.SequenceEqual("version"u8))
        {
            return Field.Version;
        }

        if (name.SequenceEqual("status"u8))
        {
            return Field.Status;
        }

        if (name.SequenceEqual("eval"u8))
        {
            return Field.Eval;
        }

        if (name.SequenceEqual("results"u8))
        {
            return Field.Results;
        }

        if (name.SequenceEqual("stats"u8))
        {
            return Field.Stats;
        }

        if (name.SequenceEqual("error"u8))
        {
            return Field.Error;
        }

        return name.SequenceEqual("samples"u8) || name.SequenceEqual("reductions"u8) ? Field.Samples : Field.Other;
    }

    private static void Apply(Field field, JsonElement value, InspectHeader header)
    {
        switch (field)
        {
            case Field.Eval:
                header.ReadEval(value);
                break;
            case Field.Results:
                header.ReadResults(value);
                break;
            case Field.Stats:
                header.ReadStats(value);
                break;
            case Field.Error:
                header.ReadError(value);
                break;
            default:
                break;
        }
    }
}
