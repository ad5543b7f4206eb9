namespace Expt.Design;

/// <summary>
/// A set of param points a fit may use (a stage's points with the same non-numeric params, possibly narrowed to some
/// numeric values), with the fits made on it kept: many planned jobs share one fit.
/// </summary>
internal sealed class PointSet(IReadOnlyList<HistoryPoint> points)
{
    private readonly Dictionary<string, PointSet> _narrowed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MeasureFit?> _fits = new(StringComparer.Ordinal);
    private Dictionary<string, HashSet<string>>? _seen;

    /// <summary>The points.</summary>
    public IReadOnlyList<HistoryPoint> Points { get; } = points;

    /// <summary>Whether some point has <paramref name="value"/> (compact JSON) for <paramref name="name"/>.</summary>
    public bool Seen(string name, string value) => Seen().TryGetValue(name, out var values) && values.Contains(value);

    /// <summary>How many different values the points have for <paramref name="name"/>.</summary>
    public int Distinct(string name) => Seen().TryGetValue(name, out var values) ? values.Count : 0;

    /// <summary>The points that have every given value (cached).</summary>
    public PointSet Where(IReadOnlyList<(string Name, string Value)> condition)
    {
        if (condition.Count == 0) return this;
        var key = string.Join('\u001f', condition.Select(c => c.Name + '\u001e' + c.Value));
        if (_narrowed.TryGetValue(key, out var set)) return set;
        set = new PointSet([.. Points.Where(p => condition.All(c => p.Params.Values.TryGetValue(c.Name, out var v) && v == c.Value))]);
        _narrowed[key] = set;
        return set;
    }

    /// <summary>The fit of <paramref name="measure"/> over <paramref name="names"/> (cached), or null when the points do not allow one.</summary>
    public MeasureFit? Fit(IReadOnlyList<string> names, Measure measure, bool powerLaw)
    {
        var key = $"{string.Join('\u001e', names)}\u001f{(int)measure}\u001f{powerLaw}";
        if (_fits.TryGetValue(key, out var fit)) return fit;
        fit = MeasureFit.TryFit(Points, names, measure, powerLaw);
        _fits[key] = fit;
        return fit;
    }

    private Dictionary<string, HashSet<string>> Seen()
    {
        if (_seen is not null) return _seen;
        _seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var p in Points)
        {
            foreach (var name in p.Params.Numbers.Keys)
            {
                if (!_seen.TryGetValue(name, out var values)) _seen[name] = values = new HashSet<string>(StringComparer.Ordinal);
                values.Add(p.Params.Values[name]);
            }
        }
        return _seen;
    }
}
