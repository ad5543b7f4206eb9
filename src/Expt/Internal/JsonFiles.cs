using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Expt.Internal;

/// <summary>The one set of JSON conventions for every file Expt persists (camelCase, readable, enums as snake_case).</summary>
public static class JsonFiles
{
    /// <summary>Options for persisted files.</summary>
    public static readonly JsonSerializerOptions Options = Create(indented: true);

    /// <summary>Options for single-line records (journals).</summary>
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return o;
    }

    /// <summary>Serialises and writes atomically.</summary>
    public static void Write<T>(string path, T value, bool durable = false) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Options) + "\n", durable);

    /// <summary>
    /// Reads a file; null when it does not exist. Throws <see cref="JsonException"/> when it is not valid, and
    /// <see cref="IOException"/> when it is not a regular file (a FIFO would block the reader; see <see cref="RegularFile"/>).
    /// </summary>
    public static T? Read<T>(string path)
        where T : class
    {
        if (!File.Exists(path)) return null;
        if (RegularFile.Problem(path) is { } notRegular) throw new IOException($"{path} {notRegular}");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return JsonSerializer.Deserialize<T>(stream, Options);
    }

    /// <summary>Reads a file; null when it does not exist, is not a regular file, or cannot be parsed.</summary>
    public static T? TryRead<T>(string path)
        where T : class
    {
        try
        {
            return Read<T>(path);
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
