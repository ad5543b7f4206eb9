using System.Diagnostics.CodeAnalysis;

namespace Expt.Suites;

/// <summary>
/// The base of a typed experiment config written in C#: a record whose public properties are the params (their
/// names in snake_case, or <see cref="System.Text.Json.Serialization.JsonPropertyNameAttribute"/>), their types
/// the param types, and a default instance (<c>new T()</c>) their defaults. Variants are made with <c>with</c>.
/// </summary>
/// <remarks>
/// <see cref="OutputDir"/> is set only by the runner (its setter is internal to Expt): assigning it in suite code,
/// in an initializer or a <c>with</c> expression, does not compile (CS0200: read only, as the setter is invisible outside Expt).
/// </remarks>
public abstract record ExperimentConfig
{
    /// <summary>The random seed (param <c>seed</c>, default 42), as every spec has.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The job's output directory (<c>--output_dir</c>); null until the runner gives it.</summary>
    public string? OutputDir { get; internal set; }

    /// <summary>
    /// Problems that the data-annotation attributes cannot express (e.g. a relation between two params), each a
    /// sentence saying what was expected; empty when the config is valid. Checked for every case before anything runs.
    /// </summary>
    public virtual IEnumerable<string> Validate() => [];

    /// <summary>
    /// Reads a config the way Expt passes it to a job: the defaults of <typeparamref name="T"/>, then config.json
    /// (<c>--config PATH</c>, else <c>$EXPT_CONFIG</c>), then the <c>--name value</c> flags, then validation.
    /// </summary>
    /// <exception cref="ConfigParseException">Every problem found, each naming its flag and the type expected.</exception>
    [RequiresUnreferencedCode(SuiteReflection.Why)]
    [RequiresDynamicCode(SuiteReflection.Why)]
    public static T Parse<[DynamicallyAccessedMembers(ConfigShape.Members)] T>(string[] args) where T : ExperimentConfig, new()
    {
        ArgumentNullException.ThrowIfNull(args);
        return ConfigParser.Parse<T>(args, Environment.GetEnvironmentVariable("EXPT_CONFIG"));
    }
}
