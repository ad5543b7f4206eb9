using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Suites;

/// <summary>A C# suite as given to <c>Suite.RunCliAsync</c>: its cases, the command each job runs, the experiment's name and file.</summary>
/// <param name="Cases">The variants, each with its config; every config of the same record type.</param>
/// <param name="EntryPoint">The command a job runs (e.g. <c>dotnet run train.cs --</c>); the flags are appended.</param>
/// <param name="ExperimentName">The experiment's name (<c>[a-z0-9][a-z0-9._-]*</c>).</param>
/// <param name="SuiteFile">The suite's source file: jobs start in its directory, and problems name it.</param>
public sealed record SuiteSource(IReadOnlyList<ExperimentCase> Cases, string EntryPoint, string ExperimentName, string SuiteFile);

/// <summary>
/// Turns a C# suite into the <see cref="ExperimentDefinition"/> a YAML spec would give, so the same planner and
/// engine run it and every other command reads its runs: params from the config record's properties (types,
/// defaults of <c>new T()</c>, nullability, <c>[Range]</c>, enum values, <see cref="PathParamAttribute"/>), one
/// explicit variant (an <c>include</c>) per case with the values that differ from the defaults, and one stage that
/// runs the entry point with <c>args: flags</c>. Every case is validated first; all problems are returned together,
/// each located as <c>cases[NAME].param</c>, and no definition then.
/// </summary>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
public static class SuiteDefinition
{
    /// <summary>The definition of <paramref name="suite"/>, or every problem that stops it.</summary>
    public static SpecLoadResult Build(SuiteSource suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var file = Path.GetFullPath(string.IsNullOrEmpty(suite.SuiteFile) ? "suite.cs" : suite.SuiteFile);
        var at = new SourceLocation(Path.GetFileName(file));
        var errors = new List<SpecError>();
        if (!SpecNames.ExperimentNamePattern().IsMatch(suite.ExperimentName ?? ""))
        {
            errors.Add(new SpecError(at, "experimentName", $"'{suite.ExperimentName}' is not a valid experiment name; expected lowercase letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (string.IsNullOrWhiteSpace(suite.EntryPoint)) errors.Add(new SpecError(at, "entryPoint", "the command is empty; expected e.g. 'dotnet run train.cs --' or 'python train.py'"));
        var cases = suite.Cases ?? [];
        if (cases.Count == 0 || cases.Any(c => c?.Config is null))
        {
            errors.Add(new SpecError(at, "cases", cases.Count == 0 ? "no cases; expected at least one ExperimentCase (or a Matrix)" : "a case has no config"));
            return new SpecLoadResult(null, errors, []);
        }
        var type = cases[0].Config.GetType();
        foreach (var other in cases.Where(c => c.Config.GetType() != type))
        {
            errors.Add(new SpecError(at, $"cases[{other.VariantName}]", $"config is a {other.Config.GetType().Name}; expected a {type.Name}, as the first case (every case of a suite has the same params)"));
        }
        IReadOnlyList<ConfigParam> shape;
        try
        {
            shape = ConfigShape.Of(type);
            _ = shape.Select(p => p.Type).ToList();
        }
        catch (NotSupportedException e)
        {
            errors.Add(new SpecError(at, type.Name, e.Message));
            return new SpecLoadResult(null, errors, []);
        }
        var defaults = ConfigShape.Defaults(type, out var noDefaults);
        if (defaults is null) errors.Add(new SpecError(at, type.Name, noDefaults!));
        foreach (var c in cases)
        {
            errors.AddRange(ConfigValidation.Problems(c.Config).Select(p => new SpecError(at, p.Field is null ? $"cases[{c.VariantName}]" : $"cases[{c.VariantName}].{p.Field}", p.Message)));
            if (!SpecNames.StageNamePattern().IsMatch(c.Kind ?? ""))
            {
                errors.Add(new SpecError(at, $"cases[{c.VariantName}].kind", $"'{c.Kind}' is not a valid kind; expected lowercase letters, digits, '_' or '-'"));
            }
        }
        if (errors.Count > 0 || defaults is null) return new SpecLoadResult(null, errors, []);
        return new SpecLoadResult(Definition(suite, file, at, shape, defaults), [], []);
    }

    private static ExperimentDefinition Definition(SuiteSource suite, string file, SourceLocation at, IReadOnlyList<ConfigParam> shape, ExperimentConfig defaults)
    {
        var parameters = shape.Select(p => Param(p, defaults, at)).ToList();
        var includes = suite.Cases.Select(c => new IncludeDefinition(c.Kind, c.VariantName, Differences(c.Config, parameters, shape), at)).ToList();
        var stage = new StageDefinition("main", suite.EntryPoint, [], [], [], new Dictionary<string, IReadOnlyList<CellAxis>>(), 1, null, ResourceRequest.None, null, 0,
            StageDefinition.DefaultRetryOn, null, null, IsImplicit: true, at);
        return new ExperimentDefinition
        {
            Name = suite.ExperimentName,
            Params = parameters,
            Includes = includes,
            Stages = [stage],
            WorkingDirectory = Path.GetDirectoryName(file)!,
            SourcePath = file,
        };
    }

    private static ParamDefinition Param(ConfigParam p, ExperimentConfig defaults, SourceLocation at)
    {
        var value = ConfigValues.ToJson(p.Property.GetValue(defaults));
        var (min, max) = p.Range;
        return new ParamDefinition(p.Name, p.Type, value, p.Nullable, min, max, p.Values, p.MustExist, p.Help, at)
        {
            // A non-nullable param whose default is null: every case sets it (validation saw to that).
            IsRequired = value is null && !p.Nullable,
        };
    }

    private static Dictionary<string, JsonNode?> Differences(ExperimentConfig config, IReadOnlyList<ParamDefinition> parameters, IReadOnlyList<ConfigParam> shape)
    {
        var values = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < shape.Count; i++)
        {
            var value = ConfigValues.ToJson(shape[i].Property.GetValue(config));
            if (!ParamValues.AreEqual(value, parameters[i].Default)) values[shape[i].Name] = value;
        }
        return values;
    }
}
