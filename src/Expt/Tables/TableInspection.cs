using System.Globalization;

namespace Expt.Tables;

/// <summary>One column of an inspected table.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Nulls">How many rows have no value.</param>
/// <param name="Mean">The mean of a numeric or boolean column (a boolean's is the rate of true); null otherwise.</param>
/// <param name="Min">The smallest value of a numeric column, as text (also of a timestamp column); null otherwise.</param>
/// <param name="Max">The largest value, as text.</param>
/// <param name="Distinct">How many distinct values a text column has (null for other types).</param>
/// <param name="Top">A text column's most frequent values with their counts, most frequent first (at most <see cref="TableInspection.TopValues"/>).</param>
public sealed record ColumnSummary(string Name, TableColumnType Type, long Nulls, double? Mean, string? Min, string? Max, long? Distinct, IReadOnlyList<KeyValuePair<string, long>> Top)
{
    /// <summary>True for a boolean column and a numeric column whose values are all 0 or 1: its mean is a rate.</summary>
    public bool IsRate { get; init; }
}

/// <summary>The rates and means of a group of rows (all rows, or those with one value of the <c>--by</c> column).</summary>
/// <param name="Group">The group's value as text; null for all rows.</param>
/// <param name="Rows">How many rows it has.</param>
/// <param name="Values">Each measure's mean over the group's non-null values (null when it has none), in <see cref="TableInspection.Measures"/> order.</param>
public sealed record GroupMeasures(string? Group, long Rows, IReadOnlyList<double?> Values);

/// <summary>
/// What <c>expt inspect</c> says about one results table: its metadata, row count, per column its type, nulls and a
/// summary, and the measures (rates of boolean and 0/1 columns, means of the other numeric columns) over all rows and
/// per value of a column (seed 004's "verification rate per split").
/// </summary>
/// <param name="File">The file.</param>
/// <param name="Rows">Its row count.</param>
/// <param name="Metadata">Its key-value metadata.</param>
/// <param name="Columns">Every column.</param>
/// <param name="Measures">The columns measured, in column order (the <c>--by</c> column left out).</param>
/// <param name="By">The column grouped by; null for none.</param>
/// <param name="Overall">The measures over all rows.</param>
/// <param name="Groups">The measures per value of <paramref name="By"/>, by value (ordinal); empty without it.</param>
public sealed record TableInspection(
    string File,
    long Rows,
    IReadOnlyList<KeyValuePair<string, string>> Metadata,
    IReadOnlyList<ColumnSummary> Columns,
    IReadOnlyList<string> Measures,
    string? By,
    GroupMeasures Overall,
    IReadOnlyList<GroupMeasures> Groups)
{
    /// <summary>The most frequent values shown per text column.</summary>
    public const int TopValues = 3;

    /// <summary>The most groups shown; more is refused (a column with a value per row is not a grouping).</summary>
    public const int MaxGroups = 100;

    /// <summary>Inspects a table.</summary>
    /// <exception cref="ResultTableException">The table has no column <paramref name="by"/>, or it has more than <see cref="MaxGroups"/> values.</exception>
    public static TableInspection Of(string file, ResultTable table, string? by)
    {
        ArgumentNullException.ThrowIfNull(table);
        var byIndex = by is null ? -1 : table.IndexOf(by);
        if (by is not null && byIndex < 0)
        {
            throw new ResultTableException($"{file}: has no column '{by}' to group by (columns: {string.Join(", ", table.Columns.Select(c => c.Name))})");
        }
        var columns = table.Columns.Select((c, i) => Summarise(c, table.Rows.Select(r => r[i]).ToList())).ToList();
        var measured = Enumerable.Range(0, columns.Count)
            .Where(i => i != byIndex && columns[i].Type is TableColumnType.Int64 or TableColumnType.Double or TableColumnType.Boolean)
            .ToList();
        GroupMeasures Measure(string? group, IReadOnlyList<object?[]> rows) =>
            new(group, rows.Count, measured.Select(i => Mean(rows.Select(r => r[i]))).ToList());
        var groups = new List<GroupMeasures>();
        if (byIndex >= 0)
        {
            var grouped = table.Rows.GroupBy(r => Text(r[byIndex]) ?? "(null)", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
            if (grouped.Count > MaxGroups) throw new ResultTableException($"{file}: column '{by}' has {grouped.Count} values, more than the {MaxGroups} grouped by at most");
            groups.AddRange(grouped.Select(g => Measure(g.Key, g.ToList())));
        }
        return new TableInspection(file, table.Rows.Count, table.Metadata, columns, measured.Select(i => columns[i].Name).ToList(), by, Measure(null, table.Rows), groups);
    }

    private static ColumnSummary Summarise(TableColumn column, IReadOnlyList<object?> values)
    {
        var present = values.Where(v => v is not null).ToList();
        var nulls = values.Count - present.Count;
        switch (column.Type)
        {
            case TableColumnType.Int64 or TableColumnType.Double or TableColumnType.Boolean:
                var numbers = present.Select(Number).Where(d => !double.IsNaN(d)).ToList();
                var isRate = column.Type == TableColumnType.Boolean || (numbers.Count > 0 && numbers.All(d => d is 0 or 1));
                return new ColumnSummary(column.Name, column.Type, nulls, Mean(present), numbers.Count == 0 ? null : Text(numbers.Min()), numbers.Count == 0 ? null : Text(numbers.Max()), null, [])
                {
                    IsRate = isRate,
                };
            case TableColumnType.Timestamp:
                var times = present.Cast<DateTimeOffset>().ToList();
                return new ColumnSummary(column.Name, column.Type, nulls, null, times.Count == 0 ? null : Text(times.Min()), times.Count == 0 ? null : Text(times.Max()), null, []);
            default:
                var counts = present.Select(v => (string)v!).GroupBy(v => v, StringComparer.Ordinal)
                    .Select(g => new KeyValuePair<string, long>(g.Key, g.LongCount())).ToList();
                var top = counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(TopValues).ToList();
                return new ColumnSummary(column.Name, column.Type, nulls, null, null, null, counts.Count, top);
        }
    }

    /// <summary>The mean of the non-null, non-NaN values (booleans as 1/0); null when there is none.</summary>
    private static double? Mean(IEnumerable<object?> values)
    {
        double sum = 0;
        long n = 0;
        foreach (var v in values)
        {
            if (v is null) continue;
            var d = Number(v);
            if (double.IsNaN(d)) continue;
            sum += d;
            n++;
        }
        return n == 0 ? null : sum / n;
    }

    private static double Number(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => double.NaN,
    };

    /// <summary>A value as text: numbers in invariant culture (round-trip), instants as ISO 8601 UTC.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => Specs.ParamValues.FormatDouble(d),
        DateTimeOffset t => Reporting.ExportTable.FormatTime(t),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
