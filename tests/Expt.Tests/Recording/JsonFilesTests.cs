using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>
/// Expt's JSON is described by source-generated metadata only (the native executable has no reflection-based
/// serializer): every enum it writes is still snake_case text, and a type the metadata lacks fails loudly.
/// </summary>
public sealed class JsonFilesTests
{
    [Fact]
    public void Given_every_type_reachable_from_the_JSON_metadata_when_its_enums_are_written_then_each_is_snake_case_text()
    {
        // Given
        var roots = typeof(JsonFiles).Assembly.GetType("Expt.Internal.ExptJsonContext", throwOnError: true)!
            .GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .ToList();

        // When
        var enums = Reachable(roots).Where(t => t.IsEnum).ToList();

        // Then
        enums.ShouldContain(typeof(JobState));
        foreach (var type in enums)
        {
            var first = Enum.GetValues(type).GetValue(0)!;
            var json = JsonSerializer.Serialize(first, JsonFiles.Options.GetTypeInfo(type));
            json.ShouldBe($"\"{JsonNamingPolicy.SnakeCaseLower.ConvertName(first.ToString()!)}\"", $"{type.Name} needs its converter in JsonFiles.SnakeCaseEnums");
        }
    }

    [Fact]
    public void Given_a_job_status_when_written_and_read_back_then_it_round_trips_with_snake_case_state_and_camel_case_names()
    {
        // Given
        using var dir = new TempDirectory("expt-json");
        var path = dir.Combine("status.json");
        var status = new JobStatus { Id = "a/0", Variant = "a", Stage = "train", State = JobState.Succeeded, StartedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), ExitCode = 0 };

        // When
        JsonFiles.Write(path, status);
        var back = JsonFiles.Read<JobStatus>(path);

        // Then
        var text = File.ReadAllText(path);
        text.ShouldContain("\"state\": \"succeeded\"");
        text.ShouldContain("\"startedAt\": ");
        back.ShouldNotBeNull();
        (back.Id, back.State, back.StartedAt, back.ExitCode).ShouldBe((status.Id, status.State, status.StartedAt, status.ExitCode));
    }

    [Fact]
    public void Given_a_type_the_metadata_does_not_describe_when_written_then_it_fails_instead_of_falling_back_to_reflection()
    {
        // Given
        using var dir = new TempDirectory("expt-json");

        // When
        var error = Should.Throw<NotSupportedException>(() => JsonFiles.Write(dir.Combine("x.json"), new Undescribed(1)));

        // Then
        error.Message.ShouldContain(nameof(Undescribed));
        File.Exists(dir.Combine("x.json")).ShouldBeFalse();
    }

    private sealed record Undescribed(int Value);

    private static HashSet<Type> Reachable(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type)) continue;
            var info = JsonFiles.Options.GetTypeInfo(type);
            foreach (var p in info.Properties) pending.Push(p.PropertyType);
            if (info.ElementType is { } element) pending.Push(element);
            if (info.KeyType is { } key) pending.Push(key);
            if (info.Kind == JsonTypeInfoKind.None && type.IsGenericType) foreach (var a in type.GetGenericArguments()) pending.Push(a);
        }
        return seen;
    }
}
