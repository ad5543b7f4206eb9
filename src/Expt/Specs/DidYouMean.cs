namespace Expt.Specs;

/// <summary>Suggests the closest known name for a misspelt one.</summary>
public static class DidYouMean
{
    /// <summary>" (did you mean 'x'?)" when a candidate is close enough, otherwise "".</summary>
    public static string Suggest(string given, IEnumerable<string> candidates) =>
        Closest(given, candidates) is { } best ? $" (did you mean '{best}'?)" : "";

    /// <summary>The candidate closest to <paramref name="given"/> when it is close enough to be a likely slip, otherwise null.</summary>
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(given.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = c;
            }
        }
        var limit = Math.Max(1, given.Length / 3);
        if (best is not null && bestDistance <= limit) return best;
        // A truncated or extended word ("integr", "lrate") is still a likely slip.
        return candidates.Where(c => c.Length >= 2 && given.Length >= 2 && (given.StartsWith(c, StringComparison.OrdinalIgnoreCase) || c.StartsWith(given, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => Math.Abs(c.Length - given.Length)).FirstOrDefault();
    }

    /// <summary>Optimal-string-alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
