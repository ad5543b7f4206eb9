using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Expt.Design;

/// <summary>
/// A least-squares fit of one measure over some numeric params, on the medians per param point: a power law
/// (<c>log y = b0 + Σ bi·log xi</c>) or, where a value is not positive, a linear model (<c>y = b0 + Σ bi·xi</c>).
/// </summary>
internal sealed class MeasureFit
{
    // A predictor whose column, once standardised, keeps less than this share of its length after the others
    // are taken out is (nearly) a combination of them: its coefficient would be noise.
    private const double Collinear = 1e-8;

    private readonly double _intercept;
    private readonly double[] _slopes;
    private readonly double[] _means;
    private readonly double[] _scales;

    private MeasureFit(IReadOnlyList<string> names, Measure measure, bool powerLaw, double[] beta, Columns columns, int jobs)
    {
        Names = names;
        Measure = measure;
        PowerLaw = powerLaw;
        _intercept = beta[0];
        _slopes = beta[1..];
        _means = columns.Means;
        _scales = columns.Scales;
        Min = columns.Min;
        Max = columns.Max;
        Jobs = jobs;
    }

    /// <summary>The fitted params.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The measure fitted.</summary>
    public Measure Measure { get; }

    /// <summary>Whether it is a power law (else linear).</summary>
    public bool PowerLaw { get; }

    /// <summary>The smallest value seen of each fitted param.</summary>
    public double[] Min { get; }

    /// <summary>The largest value seen of each fitted param.</summary>
    public double[] Max { get; }

    /// <summary>How many history jobs the fit rests on.</summary>
    public int Jobs { get; }

    /// <summary>
    /// Fits <paramref name="measure"/> over <paramref name="names"/> on the points that measured it, or null when it
    /// cannot: fewer than two distinct values of some param, no more points than coefficients, a param that is a
    /// combination of the others, or (for a power law) a value that is not positive.
    /// </summary>
    public static MeasureFit? TryFit(IReadOnlyList<HistoryPoint> points, IReadOnlyList<string> names, Measure measure, bool powerLaw)
    {
        var k = names.Count;
        var rows = points.Where(p => p.Medians[(int)measure] is not null && names.All(p.Params.Numbers.ContainsKey)).ToList();
        if (k == 0 || rows.Count <= k + 1) return null;
        var x = new double[rows.Count, k];
        var y = new double[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var v = rows[r].Medians[(int)measure]!.Value;
            if (powerLaw && v <= 0) return null;
            y[r] = powerLaw ? Math.Log(v) : v;
            for (var c = 0; c < k; c++)
            {
                var xv = rows[r].Params.Numbers[names[c]];
                if (powerLaw && xv <= 0) return null;
                x[r, c] = powerLaw ? Math.Log(xv) : xv;
            }
        }
        var (min, max, means, scales) = (new double[k], new double[k], new double[k], new double[k]);
        for (var c = 0; c < k; c++)
        {
            var column = Enumerable.Range(0, rows.Count).Select(r => rows[r].Params.Numbers[names[c]]).ToList();
            if (column.Distinct().Count() < 2) return null;
            (min[c], max[c]) = (column.Min(), column.Max());
            var t = Enumerable.Range(0, rows.Count).Select(r => x[r, c]).ToList();
            means[c] = t.Average();
            scales[c] = Math.Sqrt(t.Sum(v => (v - means[c]) * (v - means[c])) / t.Count);
            if (!(scales[c] > 0) || !double.IsFinite(scales[c])) return null;
        }
        // Standardised predictors: params of very different scales (bytes beside a learning rate) stay well conditioned.
        var design = Matrix<double>.Build.Dense(rows.Count, k + 1, (r, c) => c == 0 ? 1 : (x[r, c - 1] - means[c - 1]) / scales[c - 1]);
        var qr = design.QR(QRMethod.Thin);
        var scale = Math.Sqrt(rows.Count);
        for (var c = 0; c <= k; c++)
        {
            if (!(Math.Abs(qr.R[c, c]) > Collinear * scale)) return null;
        }
        var beta = qr.Solve(Vector<double>.Build.DenseOfArray(y)).ToArray();
        if (beta.Any(b => !double.IsFinite(b))) return null;
        var jobs = rows.Sum(p => p.Counts[(int)measure]);
        return new MeasureFit(names, measure, powerLaw, beta, new Columns(means, scales, min, max), jobs);
    }

    /// <summary>The fitted value at the planned params (never negative), or null when it is not a finite number.</summary>
    public double? Predict(IReadOnlyDictionary<string, double> planned)
    {
        var t = _intercept;
        for (var c = 0; c < Names.Count; c++)
        {
            var v = planned[Names[c]];
            if (PowerLaw && v <= 0) return null;
            t += _slopes[c] * ((PowerLaw ? Math.Log(v) : v) - _means[c]) / _scales[c];
        }
        var y = PowerLaw ? Math.Exp(t) : t;
        return double.IsFinite(y) ? Math.Max(0, y) : null;
    }

    /// <summary>Whether every planned value lies within the range the fit saw.</summary>
    public bool Within(IReadOnlyDictionary<string, double> planned) =>
        Names.Select((n, c) => planned[n] >= Min[c] && planned[n] <= Max[c]).All(b => b);

    /// <summary>The fit in words, e.g. <c>power law in size: wall ∝ size^0.98, size 1–5, n=9</c>.</summary>
    public string Describe(IReadOnlyDictionary<string, double> planned, string? narrowedTo)
    {
        var measure = Measures.Name(Measure);
        // Slopes in the params' own units: exponents for a power law, per-unit rates for a linear model.
        var slopes = _slopes.Select((b, c) => b / _scales[c]).ToArray();
        var intercept = _intercept - slopes.Select((s, c) => s * _means[c]).Sum();
        var law = PowerLaw
            ? $"{measure} ∝ {string.Join("·", Names.Select((n, c) => $"{n}^{Number(slopes[c], "0.00")}"))}"
            : $"{measure} ≈ {string.Join(" + ", Names.Select((n, c) => $"{Number(slopes[c], "G3")}·{n}"))} + {Number(intercept, "G3")}";
        var ranges = string.Join(", ", Names.Select((n, c) => $"{n} {Number(Min[c])}–{Number(Max[c])}"));
        var outside = Names.Select((n, c) => (n, c)).Where(p => planned[p.n] < Min[p.c] || planned[p.n] > Max[p.c]).ToList();
        var extrapolated = outside.Count == 0 ? "" : $", extrapolated: {string.Join(", ", outside.Select(p => $"{p.n} {Number(planned[p.n])}"))} outside the range seen";
        var narrowed = narrowedTo is null ? "" : $" (jobs with {narrowedTo})";
        return $"{(PowerLaw ? "power law" : "linear")} in {string.Join(", ", Names)}{narrowed}: {law}, {ranges}, n={Jobs}{extrapolated}";
    }

    private static string Number(double v, string format = "G6") => v.ToString(format, CultureInfo.InvariantCulture);

    // Per fitted param: the mean and scale that standardise it (on the fitted scale) and the range seen (raw).
    private sealed record Columns(double[] Means, double[] Scales, double[] Min, double[] Max);
}
