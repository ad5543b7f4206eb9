using System.Globalization;
using System.Text;

namespace Expt.Slurm.Submission;

/// <summary>Writes task indices the way <c>--array</c> reads them: ranges where consecutive (<c>0-19,23,30-31</c>).</summary>
internal static class ArrayIndices
{
    public static string Format(IEnumerable<int> indices, int? limit)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var sorted = indices.Distinct().Order().ToList();
        var sb = new StringBuilder();
        for (var i = 0; i < sorted.Count; i++)
        {
            var start = sorted[i];
            while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1) i++;
            if (sb.Length > 0) sb.Append(',');
            sb.Append(start.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != start) sb.Append('-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
        }
        if (limit is { } l) sb.Append('%').Append(l.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
