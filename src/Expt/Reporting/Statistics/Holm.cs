namespace Expt.Reporting.Statistics;

/// <summary>
/// Holm's step-down adjustment of p-values for multiple comparisons: controls the chance of any false positive
/// among the family at the nominal level, without assuming the tests are independent, and never less powerful than
/// Bonferroni.
/// </summary>
public static class Holm
{
    /// <summary>
    /// The adjusted p-values, in the order given: sorted ascending, the i-th smallest (from 0) of m is multiplied by
    /// m − i, capped at 1, and made non-decreasing in that order. A null p-value (no test) stays null and does not
    /// count in m.
    /// </summary>
    public static IReadOnlyList<double?> Adjust(IReadOnlyList<double?> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var tested = pValues.Select((p, i) => (P: p, Index: i)).Where(x => x.P is not null)
            .OrderBy(x => x.P!.Value).ThenBy(x => x.Index).ToList();
        var adjusted = new double?[pValues.Count];
        var m = tested.Count;
        var running = 0.0;
        for (var i = 0; i < m; i++)
        {
            running = Math.Max(running, Math.Min(1, (m - i) * tested[i].P!.Value));
            adjusted[tested[i].Index] = running;
        }
        return adjusted;
    }
}
