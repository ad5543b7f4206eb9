using System.Globalization;
using System.Text;
using Expt.Recording;
using Expt.Specs;

namespace Expt.Catalog.Query;

/// <summary>The names an expression may use: fields of runs and jobs, and the params and metrics the catalog has seen.</summary>
/// <param name="Params">Every param name in the catalog.</param>
/// <param name="Metrics">Every metric name in the catalog.</param>
public sealed record CatalogNames(IReadOnlySet<string> Params, IReadOnlySet<string> Metrics)
{
    /// <summary>Field names, in the order they are documented.</summary>
    public static IReadOnlyList<string> Fields => [.. WhereSql.FieldTable.Keys];
}

/// <summary>
/// Translates a <see cref="WhereExpression"/> into SQL over the catalog's tables (aliases <c>r</c> for runs and
/// <c>j</c> for jobs). Params and metrics become index range scans on <c>job_values(source, name, num|text)</c>,
/// so a selective filter never touches the rows it excludes.
/// </summary>
public sealed class WhereSql
{
    internal enum FieldType
    {
        Text,
        Number,
        Time,
        Boolean,
        Duration,
        State,
        Commit,
    }

    internal sealed record Field(string Sql, FieldType Type, bool OfRun);

    internal static readonly IReadOnlyDictionary<string, Field> FieldTable = new Dictionary<string, Field>(StringComparer.OrdinalIgnoreCase)
    {
        ["experiment"] = new("r.experiment", FieldType.Text, true),
        ["run"] = new("r.run", FieldType.Text, true),
        ["commit"] = new("r.git_commit", FieldType.Commit, true),
        ["dirty"] = new("r.dirty", FieldType.Boolean, true),
        ["branch"] = new("r.branch", FieldType.Text, true),
        ["host"] = new("r.host", FieldType.Text, true),
        ["executor"] = new("r.executor", FieldType.Text, true),
        ["question"] = new("r.question", FieldType.Text, true),
        ["created"] = new("r.created", FieldType.Time, true),
        ["archived"] = new("(r.archived_to IS NOT NULL)", FieldType.Boolean, true),
        ["job"] = new("j.job", FieldType.Text, false),
        ["variant"] = new("j.variant", FieldType.Text, false),
        ["kind"] = new("j.kind", FieldType.Text, false),
        ["stage"] = new("j.stage", FieldType.Text, false),
        ["state"] = new("j.state", FieldType.State, false),
        ["attempts"] = new("j.attempts", FieldType.Number, false),
        ["exit_code"] = new("j.exit_code", FieldType.Number, false),
        ["started"] = new("j.started", FieldType.Time, false),
        ["ended"] = new("j.ended", FieldType.Time, false),
        ["duration"] = new("j.duration", FieldType.Duration, false),
        ["cpu_seconds"] = new("j.cpu_seconds", FieldType.Number, false),
        ["gpu_seconds"] = new("j.gpu_seconds", FieldType.Number, false),
        ["peak_rss_mb"] = new("j.peak_rss_mb", FieldType.Number, false),
        ["output_bytes"] = new("j.output_bytes", FieldType.Number, false),
    };

    private readonly CatalogNames _names;
    private readonly HashSet<WhereComparison> _probes = new(ReferenceEqualityComparer.Instance);
    private readonly StringBuilder _sql = new();
    private readonly List<object> _parameters = [];

    private WhereSql(CatalogNames names) => _names = names;

    /// <summary>The SQL condition.</summary>
    public string Sql => _sql.ToString();

    /// <summary>Values for <c>$w0</c>, <c>$w1</c>, … in <see cref="Sql"/>.</summary>
    public IReadOnlyList<object> Parameters => _parameters;

    /// <summary>Translates an expression; throws <see cref="WhereException"/> for unknown names and ill-typed values.</summary>
    /// <param name="expression">The parsed expression.</param>
    /// <param name="names">The params and metrics the catalog has.</param>
    /// <param name="driver">
    /// One of the param or metric comparisons that the whole expression requires (see <see cref="Conjuncts"/>), chosen
    /// to drive the query: it alone is written as a list of matching jobs (<c>j.id IN (…)</c>), and the other required
    /// param and metric comparisons as lookups of each of those jobs (<c>EXISTS (…)</c>). Without one, every
    /// comparison is a list, and SQLite builds each in full to test membership: 50,000 ids for <c>model = llama-1b</c>
    /// to keep the 100 jobs that also have <c>accuracy &gt; 0.949</c>.
    /// </param>
    public static WhereSql Translate(WhereExpression expression, CatalogNames names, WhereComparison? driver = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var sql = new WhereSql(names);
        if (driver is not null)
        {
            foreach (var c in Conjuncts(expression).OfType<WhereComparison>())
            {
                if (!ReferenceEquals(c, driver) && Resolve(c.Name, c.NameColumn, names).Source is not null) sql._probes.Add(c);
            }
        }
        sql.Append(expression);
        return sql;
    }

    /// <summary>The parts of an expression joined by <c>and</c> at its top: each must hold for a job to match.</summary>
    public static IEnumerable<WhereExpression> Conjuncts(WhereExpression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression is WhereAnd and)
        {
            foreach (var part in Conjuncts(and.Left)) yield return part;
            foreach (var part in Conjuncts(and.Right)) yield return part;
        }
        else
        {
            yield return expression;
        }
    }

    /// <summary>
    /// The test of a param or metric comparison on <c>job_values</c> (whose <c>source</c> and <c>name</c> are already
    /// chosen): the column compared, the SQL operator and the value.
    /// </summary>
    internal static (string Column, string Operator, object Value) ValueTest(WhereComparison c) =>
        (c.Value.Number is null ? "text" : "num", OperatorSql(c.Operator), c.Value.Number is { } n ? n : c.Value.Text);

    /// <summary>What a name means: a field's SQL, or a param or metric.</summary>
    /// <param name="FieldSql">The field's SQL, when it is a field.</param>
    /// <param name="Source">Param or metric, when it is one.</param>
    /// <param name="Name">The canonical name.</param>
    /// <param name="OfRun">Whether it is a field of the run (rather than of the job).</param>
    public sealed record Resolved(string? FieldSql, ValueSource? Source, string Name, bool OfRun);

    /// <summary>Resolves a name written in an expression or a sort key.</summary>
    public static Resolved Resolve(string written, int column, CatalogNames names)
    {
        ArgumentNullException.ThrowIfNull(written);
        ArgumentNullException.ThrowIfNull(names);
        foreach (var (prefix, source, set) in new[] { ("param.", ValueSource.Param, names.Params), ("metric.", ValueSource.Metric, names.Metrics) })
        {
            if (written.StartsWith(prefix, StringComparison.Ordinal) && set.Contains(written[prefix.Length..]) && !names.Params.Contains(written) && !names.Metrics.Contains(written))
            {
                return new Resolved(null, source, written[prefix.Length..], false);
            }
        }
        if (FieldTable.TryGetValue(written, out var field)) return new Resolved(field.Sql, null, written.ToLowerInvariant(), field.OfRun);
        var isParam = names.Params.Contains(written);
        var isMetric = names.Metrics.Contains(written);
        // A bare name that is both is the param (what the researcher set), as in export's columns; metric.NAME is the metric.
        if (isParam) return new Resolved(null, ValueSource.Param, written, false);
        if (isMetric) return new Resolved(null, ValueSource.Metric, written, false);
        var all = FieldTable.Keys.Concat(names.Params).Concat(names.Metrics).Distinct(StringComparer.Ordinal).ToList();
        throw new WhereException($"unknown name '{written}'{DidYouMean.Suggest(written, all)}: expected a field ({string.Join(", ", FieldTable.Keys)}), a param or a metric", column);
    }

    private void Append(WhereExpression expression)
    {
        switch (expression)
        {
            case WhereAnd and:
                _sql.Append('(');
                Append(and.Left);
                _sql.Append(" AND ");
                Append(and.Right);
                _sql.Append(')');
                break;
            case WhereOr or:
                _sql.Append('(');
                Append(or.Left);
                _sql.Append(" OR ");
                Append(or.Right);
                _sql.Append(')');
                break;
            case WhereNot not:
                _sql.Append("(NOT ");
                Append(not.Operand);
                _sql.Append(')');
                break;
            case WhereComparison comparison:
                AppendComparison(comparison);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression));
        }
    }

    private void AppendComparison(WhereComparison c)
    {
        var resolved = Resolve(c.Name, c.NameColumn, _names);
        var op = OperatorSql(c.Operator);
        if (resolved.Source is { } source)
        {
            // A job matches when it has the value and the value compares; "not" then means everything else.
            var (column, _, value) = ValueTest(c);
            _sql.Append(_probes.Contains(c)
                ? $"EXISTS (SELECT 1 FROM job_values WHERE job_id = j.id AND source = {(int)source} AND name = {Parameter(resolved.Name)} AND {column} {op} {Parameter(value)})"
                : $"j.id IN (SELECT job_id FROM job_values WHERE source = {(int)source} AND name = {Parameter(resolved.Name)} AND {column} {op} {Parameter(value)})");
            return;
        }
        var field = FieldTable[resolved.Name];
        switch (field.Type)
        {
            case FieldType.Number:
                _sql.Append($"{field.Sql} {op} {Parameter(c.Value.Number ?? throw Expected(c, "a number"))}");
                break;
            case FieldType.Duration:
                var seconds = c.Value.Number ?? Durations.TryParse(c.Value.Text)?.TotalSeconds ?? throw Expected(c, "a duration in seconds or like 90s, 5m, 1h30m");
                _sql.Append($"{field.Sql} {op} {Parameter(seconds)}");
                break;
            case FieldType.Boolean:
                var flag = c.Value.Text.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => 1,
                    "false" or "0" or "no" => 0,
                    _ => throw Expected(c, "true or false"),
                };
                _sql.Append($"{field.Sql} {op} {Parameter(flag)}");
                break;
            case FieldType.State:
                if (JobStates.Parse(c.Value.Text) is null)
                {
                    var states = JobStates.All.Select(s => s.Name()).ToList();
                    throw new WhereException($"unknown state '{c.Value.Text}'{DidYouMean.Suggest(c.Value.Text, states)}: expected one of {string.Join(", ", states)}", c.Value.Column);
                }
                _sql.Append($"{field.Sql} {op} {Parameter(c.Value.Text)}");
                break;
            case FieldType.Commit when c.Operator is WhereOperator.Equal or WhereOperator.NotEqual:
                // Commits are written short (7 characters) and stored in full: equality is on the prefix written.
                var prefix = Parameter(c.Value.Text);
                _sql.Append($"substr({field.Sql}, 1, length({prefix})) {op} {prefix}");
                break;
            default:
                _sql.Append($"{field.Sql} {op} {Parameter(c.Value.Text)}");
                break;
        }
    }

    private static WhereException Expected(WhereComparison c, string what) =>
        new($"expected {what} for '{c.Name}', found '{c.Value.Text}'", c.Value.Column);

    private string Parameter(object value)
    {
        _parameters.Add(value);
        return "$w" + (_parameters.Count - 1).ToString(CultureInfo.InvariantCulture);
    }

    private static string OperatorSql(WhereOperator op) => op switch
    {
        WhereOperator.Equal => "=",
        WhereOperator.NotEqual => "!=",
        WhereOperator.Less => "<",
        WhereOperator.LessOrEqual => "<=",
        WhereOperator.Greater => ">",
        _ => ">=",
    };
}
