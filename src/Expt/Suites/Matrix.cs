using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;
using Expt.Specs;

namespace Expt.Suites;

/// <summary>Starts a matrix of cases in code, as a spec's <c>matrix:</c>, <c>exclude:</c>, <c>include:</c>, <c>seeds:</c> and <c>name:</c> do.</summary>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
public static class Matrix
{
    /// <summary>A matrix whose every point starts from <paramref name="baseConfig"/>.</summary>
    public static Matrix<T> Of<[DynamicallyAccessedMembers(ConfigShape.Members)] T>(T baseConfig) where T : ExperimentConfig
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        return new Matrix<T>(baseConfig);
    }
}

/// <summary>
/// Cases as the cartesian product of factors (the first varying slowest, as in a spec), minus the excluded points,
/// plus controls, each once per seed. Names follow the spec's rules: <c>param-value_param-value</c>, or the
/// <see cref="Name"/> template (<c>{param}</c> and <c>{kind}</c>); a seed adds <c>_seed-N</c> unless the template
/// uses <c>{seed}</c>. Enumerating it gives the <see cref="ExperimentCase"/>s.
/// </summary>
/// <typeparam name="T">The config record.</typeparam>
[RequiresUnreferencedCode(SuiteReflection.Why)]
[RequiresDynamicCode(SuiteReflection.Why)]
public sealed class Matrix<[DynamicallyAccessedMembers(ConfigShape.Members)] T> : IEnumerable<ExperimentCase> where T : ExperimentConfig
{
    private readonly T _base;
    private readonly List<(ConfigParam Param, IReadOnlyList<object?> Levels)> _factors = [];
    private readonly List<Func<T, bool>> _excludes = [];
    private readonly List<ExperimentCase> _controls = [];
    private readonly List<long> _seeds = [];
    private string? _template;

    internal Matrix(T baseConfig) => _base = baseConfig;

    /// <summary>A factor: the property <paramref name="property"/> takes each of <paramref name="levels"/>.</summary>
    public Matrix<T> Vary<TValue>(Expression<Func<T, TValue>> property, params TValue[] levels)
    {
        ArgumentNullException.ThrowIfNull(property);
        ArgumentNullException.ThrowIfNull(levels);
        if (property.Body is not MemberExpression { Member: PropertyInfo info }) throw new ArgumentException($"expected a property, as c => c.Name; got {property}", nameof(property));
        return Add(ConfigShape.Of(typeof(T)).FirstOrDefault(p => p.Property.Name == info.Name) ?? throw new ArgumentException($"{info.Name} is not a param of {typeof(T).Name}", nameof(property)), levels.Cast<object?>().ToList());
    }

    /// <summary>A factor by param name (<c>learning_rate</c>): the param takes each of <paramref name="levels"/>.</summary>
    public Matrix<T> Vary(string param, params object?[] levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var shape = ConfigShape.Of(typeof(T));
        var found = shape.FirstOrDefault(p => p.Name == param) ?? throw new ArgumentException($"'{param}' is not a param of {typeof(T).Name}{DidYouMean.Suggest(param ?? "", shape.Select(p => p.Name))}", nameof(param));
        return Add(found, levels);
    }

    /// <summary>Drops the points for which <paramref name="predicate"/> is true (an <c>exclude:</c>).</summary>
    public Matrix<T> Exclude(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        _excludes.Add(predicate);
        return this;
    }

    /// <summary>Adds a variant of kind <c>control</c> named <paramref name="name"/> (an <c>include:</c>).</summary>
    public Matrix<T> Control(string name, T config)
    {
        _controls.Add(ExperimentCase.Control(name, config));
        return this;
    }

    /// <summary>Runs every variant, controls included, once per seed (<c>seeds:</c>).</summary>
    public Matrix<T> Seeds(params long[] seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        _seeds.AddRange(seeds);
        return this;
    }

    /// <summary>The variant-name template, e.g. <c>{model}_r{lora_rank}</c> (<c>name:</c>).</summary>
    public Matrix<T> Name(string template)
    {
        if (Template.TryParse(template, out var error) is null) throw new ArgumentException($"name template '{template}': {error}", nameof(template));
        _template = template;
        return this;
    }

    /// <summary>The cases, in the planner's order: matrix points first (each once per seed), then the controls.</summary>
    public IReadOnlyList<ExperimentCase> Build()
    {
        var template = _template is null ? null : Template.TryParse(_template, out _);
        var points = new List<ExperimentCase>();
        IEnumerable<T> product = [_base];
        foreach (var (param, levels) in _factors) product = product.SelectMany(c => levels.Select(level => With(c, param, level)));
        foreach (var config in product.Where(c => !_excludes.Any(e => e(c))))
        {
            var name = template is null
                ? _factors.Count == 0 ? "default" : string.Join("_", _factors.Select(f => $"{f.Param.Name}-{Display(config, f.Param)}"))
                : Render(template, config, "default");
            points.Add(new ExperimentCase(name, config));
        }
        points.AddRange(_controls);
        if (_seeds.Count == 0) return points;
        var seedInName = template?.Fields.Contains("seed") == true;
        return points.SelectMany(c => _seeds.Select(s =>
        {
            var config = With((T)c.Config, Seed(), s);
            var name = seedInName && c.Kind == "default" ? Render(template!, config, c.Kind) : $"{c.VariantName}_seed-{s}";
            return c with { VariantName = name, Config = config };
        })).ToList();
    }

    /// <inheritdoc />
    public IEnumerator<ExperimentCase> GetEnumerator() => Build().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Matrix<T> Add(ConfigParam param, IReadOnlyList<object?> levels)
    {
        if (levels.Count == 0) throw new ArgumentException($"factor '{param.Name}' has no levels", nameof(levels));
        _factors.Add((param, levels));
        return this;
    }

    private static ConfigParam Seed() => ConfigShape.Of(typeof(T)).First(p => p.Property.Name == nameof(ExperimentConfig.Seed));

    private static string Render(Template template, T config, string kind) =>
        template.Render(f => f == "kind" ? kind : ConfigShape.Of(typeof(T)).FirstOrDefault(p => p.Name == f) is { } p ? Display(config, p) : "{" + f + "}");

    private static string Display(T config, ConfigParam p) => ParamValues.ToDisplay(ConfigValues.ToJson(p.Property.GetValue(config)));

    /// <summary>A copy of <paramref name="config"/> (the record's own clone, as <c>with</c> makes) with one param changed.</summary>
    private static T With(T config, ConfigParam param, object? value)
    {
        var clone = (T)typeof(T).GetMethod("<Clone>$", BindingFlags.Public | BindingFlags.Instance)!.Invoke(config, null)!;
        var core = ConfigValues.Core(param.Property.PropertyType);
        param.Property.SetValue(clone, value is null || core.IsInstanceOfType(value) ? value : System.Convert.ChangeType(value, core, System.Globalization.CultureInfo.InvariantCulture));
        return clone;
    }
}
