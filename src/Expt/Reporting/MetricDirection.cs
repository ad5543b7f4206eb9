namespace Expt.Reporting;

/// <summary>Which way a metric is better.</summary>
public enum MetricDirection
{
    /// <summary>Higher is better (accuracy, reward).</summary>
    Max,

    /// <summary>Lower is better (loss, error, time).</summary>
    Min,
}

/// <summary>The direction of a metric nobody gave one for.</summary>
public static class MetricDirections
{
    /// <summary>Parts of a name that mean lower is better; anything else is taken as higher is better.</summary>
    public static readonly IReadOnlyList<string> LowerIsBetter = ["loss", "err", "error", "perplexity", "ppl", "nll", "mse", "rmse", "mae", "regret", "time", "latency", "seconds", "secs", "ms", "duration", "wer", "cer"];

    /// <summary>
    /// <see cref="MetricDirection.Min"/> when a word of the metric's name (without a cell qualifier such as
    /// <c>[task=timeline]</c>) is one of <see cref="LowerIsBetter"/> or its plural, ignoring case; else
    /// <see cref="MetricDirection.Max"/>. Words are split at <c>_ - . / :</c>, spaces and camelCase humps, and a word
    /// that merely starts like one (<c>timesteps</c>, <c>nllb</c>, <c>interrupted</c>) does not count. <c>stderr</c>
    /// (Inspect's standard error) counts as <c>err</c>.
    /// </summary>
    public static MetricDirection Default(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var cut = metric.IndexOf('[', StringComparison.Ordinal);
        var name = cut > 0 ? metric[..cut] : metric;
        return Words(name).Any(w => w == "stderr" || LowerIsBetter.Any(l => w == l || w == l + "s" || w == l + "es")) ? MetricDirection.Min : MetricDirection.Max;
    }

    private static IEnumerable<string> Words(string name)
    {
        var word = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var hump = char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]);
            if (!char.IsLetterOrDigit(c) || hump)
            {
                if (word.Length > 0) yield return word.ToString();
                word.Clear();
                if (!char.IsLetterOrDigit(c)) continue;
            }
            word.Append(char.ToLowerInvariant(c));
        }
        if (word.Length > 0) yield return word.ToString();
    }
}
