using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using Expt.Specs;

namespace Expt.Suites;

/// <summary>One param of a config record: the property it is, its name, its spec type and constraints.</summary>
/// <param name="Name">The param's name (snake_case of the property, or its <c>[JsonPropertyName]</c>).</param>
/// <param name="Property">The property.</param>
/// <param name="Type">The spec type.</param>
/// <param name="Nullable">Whether null is a legal value (<c>T?</c>).</param>
/// <param name="IsPath">Whether it is a <c>path</c> (<see cref="PathParamAttribute"/>).</param>
/// <param name="MustExist">Whether the path must exist before anything runs.</param>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
internal sealed record ConfigParam(string Name, PropertyInfo Property, ParamType Type, bool Nullable, bool IsPath, bool MustExist)
{
    /// <summary>The inclusive bounds of <c>[Range]</c>, when numeric.</summary>
    public (double? Min, double? Max) Range => Property.GetCustomAttribute<RangeAttribute>() is { } r
        ? (ToDouble(r.Minimum), ToDouble(r.Maximum)) : (null, null);

    /// <summary>The enum's values, as names.</summary>
    public IReadOnlyList<string> Values => ConfigValues.Core(Property.PropertyType) is { IsEnum: true } e ? Enum.GetNames(e) : [];

    /// <summary>The description (<c>[Description]</c>), when given.</summary>
    public string? Help => Property.GetCustomAttribute<DescriptionAttribute>()?.Description;

    private static double? ToDouble(object? value) => value switch
    {
        int i => i,
        double d => d,
        _ => null,
    };
}

/// <summary>
/// The params of a config type, read from its public properties by reflection (a suite's config types are the
/// user's own, known only at run time). <see cref="ExperimentConfig.OutputDir"/> is not a param; <c>seed</c> is last.
/// </summary>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
internal static class ConfigShape
{
    /// <summary>What reflection needs of a config type: its properties and its default instance.</summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicProperties | DynamicallyAccessedMemberTypes.PublicParameterlessConstructor | DynamicallyAccessedMemberTypes.PublicMethods;

    /// <summary>The params of <paramref name="type"/>, in declaration order (base types first), <c>seed</c> last.</summary>
    public static IReadOnlyList<ConfigParam> Of([DynamicallyAccessedMembers(Members)] Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var nullability = new NullabilityInfoContext();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0 && p.Name != nameof(ExperimentConfig.OutputDir))
            .OrderBy(p => p.Name == nameof(ExperimentConfig.Seed) ? 1 : 0)
            .ThenBy(p => Depth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken);
        return properties.Select(p => Describe(p, nullability)).ToList();
    }

    /// <summary>The default instance of <paramref name="type"/>, or null with a problem when it has no parameterless constructor.</summary>
    public static ExperimentConfig? Defaults([DynamicallyAccessedMembers(Members)] Type type, out string? problem)
    {
        problem = null;
        if (type.GetConstructor(Type.EmptyTypes) is null)
        {
            problem = $"config type {type.Name} has no parameterless constructor: declare params as properties with defaults (record {type.Name} : ExperimentConfig {{ public int Epochs {{ get; init; }} = 3; }})";
            return null;
        }
        return (ExperimentConfig)Activator.CreateInstance(type)!;
    }

    /// <summary><c>LearningRate</c> → <c>learning_rate</c>.</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var boundary = i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])));
            if (boundary) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    private static int Depth(Type t)
    {
        var depth = 0;
        for (var at = t.BaseType; at is not null; at = at.BaseType) depth++;
        return depth;
    }

    private static ConfigParam Describe(PropertyInfo p, NullabilityInfoContext nullability)
    {
        var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? SnakeCase(p.Name);
        var path = p.GetCustomAttribute<PathParamAttribute>();
        var nullable = System.Nullable.GetUnderlyingType(p.PropertyType) is not null
            || (!p.PropertyType.IsValueType && nullability.Create(p).WriteState == NullabilityState.Nullable);
        var type = path is not null && p.PropertyType == typeof(string) ? new ParamType(ParamKind.Path) : ConfigValues.TypeOf(p.PropertyType);
        return new ConfigParam(name, p, type, nullable, path is not null, path?.MustExist == true);
    }
}
