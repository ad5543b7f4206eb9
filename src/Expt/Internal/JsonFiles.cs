using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Expt.Archiving;
using Expt.Catalog;
using Expt.Catalog.Query;
using Expt.Design;
using Expt.Metrics;
using Expt.Recording;
using Expt.Reporting;
using Expt.Specs;

namespace Expt.Internal;

/// <summary>
/// The one set of JSON conventions for every file Expt persists (camelCase, readable, enums as snake_case). Types
/// are described by source-generated metadata, never by reflection, so the trimmed native <c>expt</c> reads and
/// writes exactly what the JIT-compiled one does.
/// </summary>
public static class JsonFiles
{
    /// <summary>Options for persisted files.</summary>
    public static readonly JsonSerializerOptions Options = Create(indented: true, ExptJsonContext.Default);

    /// <summary>Options for single-line records (journals).</summary>
    public static readonly JsonSerializerOptions Compact = Create(indented: false, ExptJsonContext.Default);

    private static JsonSerializerOptions Create(bool indented, IJsonTypeInfoResolver resolver)
    {
        var o = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            TypeInfoResolver = resolver,
        };
        foreach (var converter in SnakeCaseEnums) o.Converters.Add(converter);
        o.MakeReadOnly();
        return o;
    }

    /// <summary>
    /// Every enum that reaches a file or a <c>--json</c> output, written as snake_case text. The generic converter is
    /// named per enum because the one for all enums builds its converters by reflection at run time, which a native
    /// executable cannot; a test checks that no enum reachable from the JSON metadata is missing here.
    /// </summary>
    internal static IEnumerable<JsonConverter> SnakeCaseEnums =>
    [
        SnakeCase<JobState>(), SnakeCase<ArchiveOutcome>(), SnakeCase<ArchiveEntryKind>(), SnakeCase<ValueSource>(),
        SnakeCase<ValueKind>(), SnakeCase<CatalogFile.Verdict>(), SnakeCase<WhereOperator>(), SnakeCase<ParamKind>(),
        SnakeCase<ArgsMode>(), SnakeCase<MetricGoal>(), SnakeCase<InspectLogFormat>(), SnakeCase<MetricKind>(),
        SnakeCase<InspectLogStatus>(), SnakeCase<EstimateBasis>(), SnakeCase<ResourceKind>(), SnakeCase<MetricDirection>(),
        SnakeCase<ExportColumnSource>(),
    ];

    private static JsonStringEnumConverter<T> SnakeCase<T>()
        where T : struct, Enum => new(JsonNamingPolicy.SnakeCaseLower);

    /// <summary>
    /// These conventions for types of another assembly: its source-generated <paramref name="resolver"/> first, then
    /// Expt's own types.
    /// </summary>
    public static JsonSerializerOptions Including(IJsonTypeInfoResolver resolver, bool indented = true) =>
        Create(indented, JsonTypeInfoResolver.Combine(resolver, ExptJsonContext.Default));

    /// <summary>The metadata of <typeparamref name="T"/> in <paramref name="options"/>; fails when no resolver of theirs describes it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary>Serialises with the source-generated metadata of <paramref name="options"/> (no reflection).</summary>
    public static string Serialize<T>(T value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, TypeInfo<T>(options));

    /// <summary>Deserialises with the source-generated metadata of <paramref name="options"/> (no reflection).</summary>
    public static T? Deserialize<T>(string json, JsonSerializerOptions options) => JsonSerializer.Deserialize(json, TypeInfo<T>(options));

    /// <summary>Serialises and writes atomically.</summary>
    public static void Write<T>(string path, T value, bool durable = false) => Write(path, value, Options, durable);

    /// <summary>Serialises with <paramref name="options"/> (see <see cref="Including"/>) and writes atomically.</summary>
    public static void Write<T>(string path, T value, JsonSerializerOptions options, bool durable = false) =>
        AtomicFile.WriteAllText(path, Serialize(value, options) + "\n", durable);

    /// <summary>
    /// Reads a file; null when it does not exist. Throws <see cref="JsonException"/> when it is not valid, and
    /// <see cref="IOException"/> when it is not a regular file (a FIFO would block the reader; see <see cref="RegularFile"/>).
    /// </summary>
    public static T? Read<T>(string path)
        where T : class => Read<T>(path, Options);

    /// <summary>As <see cref="Read{T}(string)"/>, with <paramref name="options"/> (see <see cref="Including"/>).</summary>
    public static T? Read<T>(string path, JsonSerializerOptions options)
        where T : class
    {
        if (!File.Exists(path)) return null;
        if (RegularFile.Problem(path) is { } notRegular) throw new IOException($"{path} {notRegular}");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return JsonSerializer.Deserialize(stream, TypeInfo<T>(options));
    }

    /// <summary>Reads a file; null when it does not exist, is not a regular file, or cannot be parsed.</summary>
    public static T? TryRead<T>(string path)
        where T : class => TryRead<T>(path, Options);

    /// <summary>As <see cref="TryRead{T}(string)"/>, with <paramref name="options"/> (see <see cref="Including"/>).</summary>
    public static T? TryRead<T>(string path, JsonSerializerOptions options)
        where T : class
    {
        try
        {
            return Read<T>(path, options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
