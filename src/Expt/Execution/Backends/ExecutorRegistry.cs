using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Execution.Local;
using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution.Backends;

/// <summary>
/// The executor backends a process knows, by name, in the order they were registered; local is always first.
/// A backend is registered with a factory and made on first use, so that a backend whose assembly is absent
/// costs nothing until a run asks for it (local runs work without <c>Expt.Slurm</c>). There is no global one: the
/// CLI builds its registry at start-up and hands it to what needs it (the spec loader through
/// <see cref="Planning.PlanRequest.Executors"/>, the commands, <see cref="Preparation.RunPreparation"/>); a test builds its own.
/// </summary>
public sealed class ExecutorRegistry
{
    private readonly Lock _gate = new();
    private readonly List<string> _names = [];
    private readonly Dictionary<string, Lazy<IExecutorBackend?>> _backends = new(StringComparer.Ordinal);

    /// <summary>A registry holding only the local backend.</summary>
    public ExecutorRegistry() => Register(LocalBackend.BackendName, () => new LocalBackend());

    /// <summary>The local backend: the executor of a run that names none.</summary>
    public static string DefaultName => LocalBackend.BackendName;

    /// <summary>
    /// The names of the registered backends this process can make, local first: a backend whose assembly is absent is
    /// not among them, so no message offers it.
    /// </summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            List<string> names;
            lock (_gate) names = [.. _names];
            return names.Where(n => Find(n) is not null).ToList();
        }
    }

    /// <summary>Registers (or replaces) the backend called <paramref name="name"/>, made by <paramref name="create"/> when first asked for.</summary>
    public void Register(string name, Func<IExecutorBackend> create)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(create);
        lock (_gate)
        {
            if (!_names.Contains(name)) _names.Add(name);
            _backends[name] = new Lazy<IExecutorBackend?>(() => Create(create));
        }
    }

    /// <summary>The backend called <paramref name="name"/>, or null when none is registered (or its assembly is absent).</summary>
    public IExecutorBackend? Find(string name)
    {
        Lazy<IExecutorBackend?>? backend;
        lock (_gate) backend = _backends.GetValueOrDefault(name);
        return backend?.Value;
    }

    /// <summary>Every key any registered backend reads from the spec's <c>executor:</c> block, <c>type</c> first.</summary>
    public IReadOnlyList<string> SettingKeys =>
        ["type", .. Names.Select(Find).OfType<IExecutorBackend>().SelectMany(b => b.SettingKeys).Distinct(StringComparer.Ordinal)];

    /// <summary>The name of the executor a run was started with (its manifest's), local when it names none or is unreadable.</summary>
    public static string NameOfRun(string runDirectory)
    {
        try
        {
            return ManifestStore.Read(runDirectory)?.Executor ?? DefaultName;
        }
        catch (JsonException)
        {
            return DefaultName;
        }
    }

    /// <summary>The backend of the run in <paramref name="runDirectory"/>, or null with <paramref name="problem"/> when this process has none of that name.</summary>
    public IExecutorBackend? ForRun(string runDirectory, out string? problem)
    {
        var name = NameOfRun(runDirectory);
        var backend = Find(name);
        problem = backend is null ? $"the run was started with the {name} executor, which this expt does not have (expected one of {string.Join(", ", Names)})" : null;
        return backend;
    }

    /// <summary>
    /// Which backend runs a plan: <paramref name="option"/> (<c>--executor</c>), else (on resume) the one the run was
    /// started with, else the spec's <c>executor.type</c>, else local; null with a problem when it is unknown or
    /// differs from the resumed run's. A run is never resumed on another executor: jobs still queued in a
    /// scheduler would look lost to the local one and run twice.
    /// </summary>
    public IExecutorBackend? Choose(string? option, Plan plan, string? resumedWith, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(plan);
        problem = null;
        var fromSpec = plan.Definition.Executor.TryGetValue("type", out var t) && t is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var name = option ?? resumedWith ?? fromSpec ?? DefaultName;
        if (resumedWith is not null && name != resumedWith)
        {
            problem = $"--executor {name}: the run was started with the {resumedWith} executor; resume it with --executor {resumedWith}";
            return null;
        }
        if (Find(name) is { } backend) return backend;
        var names = Names;
        var expected = names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";
        problem = option is not null
            ? $"--executor {option}: expected {expected}"
            : $"executor.type '{fromSpec}' in the spec: expected {expected}";
        return null;
    }

    private static IExecutorBackend? Create(Func<IExecutorBackend> create)
    {
        try
        {
            return create();
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException)
        {
            // The backend's assembly is not installed: it is as if it were not registered.
            return null;
        }
    }
}
