using System.Diagnostics.CodeAnalysis;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Expt.Suites;

/// <summary>One problem with a config: the param it is about (null for the whole config) and what was expected.</summary>
/// <param name="Field">The param's name, or null.</param>
/// <param name="Message">What is wrong and what was expected.</param>
internal sealed record ConfigProblem(string? Field, string Message);

/// <summary>
/// Checks a config as a suite's cases and an entry point's <see cref="ExperimentConfig.Parse{T}"/> both do: every
/// data-annotation attribute of every property, a null where the param is not nullable, then the config's own
/// <see cref="ExperimentConfig.Validate"/>. Every problem is returned, not just the first.
/// </summary>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
internal static class ConfigValidation
{
    public static IReadOnlyList<ConfigProblem> Problems(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var shape = ConfigShape.Of(config.GetType());
        var problems = new List<ConfigProblem>();
        foreach (var param in shape)
        {
            var value = param.Property.GetValue(config);
            if (value is null && !param.Nullable)
            {
                problems.Add(new ConfigProblem(param.Name, $"is null; expected {ConfigValues.Describe(param.Property.PropertyType).Replace(" or __none__", "", StringComparison.Ordinal)} (declare it {param.Property.PropertyType.Name}? to allow null)"));
                continue;
            }
            var context = new ValidationContext(config) { MemberName = param.Property.Name, DisplayName = param.Name };
            foreach (var attribute in param.Property.GetCustomAttributes<ValidationAttribute>())
            {
                var result = attribute.GetValidationResult(value, context);
                if (result is not null && result != ValidationResult.Success)
                {
                    problems.Add(new ConfigProblem(param.Name, $"{result.ErrorMessage} (got {Specs.ParamValues.ToDisplay(ConfigValues.ToJson(value))})"));
                }
            }
        }
        IEnumerable<string> own;
        try
        {
            own = config.Validate().ToList();
        }
#pragma warning disable CA1031 // a throwing Validate() is the user's bug: reported with the case it broke on, not a crash
        catch (Exception e)
#pragma warning restore CA1031
        {
            own = [$"Validate() threw {e.GetType().Name}: {e.Message}"];
        }
        problems.AddRange(own.Select(m => new ConfigProblem(null, m)));
        return problems;
    }
}
