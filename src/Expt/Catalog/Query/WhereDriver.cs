using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Expt.Catalog.Query;

/// <summary>
/// Chooses which param or metric comparison drives a <c>--where</c> query (see <see cref="WhereSql.Translate"/>): of
/// those the whole expression requires, the one fewest jobs pass. SQLite cannot tell from its statistics how many
/// values a range such as <c>accuracy &gt; 0.949</c> holds, so each is counted on its index, up to a cap: reading a
/// few thousand index entries costs well under a millisecond, where driving by the wrong one costs tens.
/// </summary>
internal static class WhereDriver
{
    /// <summary>Counting stops here: past it, a comparison is not the one to drive by anyway.</summary>
    private const int Cap = 5_000;

    /// <summary>The comparison to drive by, or null when there are fewer than two to choose from.</summary>
    public static WhereComparison? Choose(SqliteConnection connection, WhereExpression expression, CatalogNames names)
    {
        var candidates = new List<(WhereComparison Comparison, WhereSql.Resolved Resolved)>();
        foreach (var c in WhereSql.Conjuncts(expression).OfType<WhereComparison>())
        {
            if (WhereSql.Resolve(c.Name, c.NameColumn, names) is { Source: not null } resolved) candidates.Add((c, resolved));
        }
        if (candidates.Count < 2) return null;
        WhereComparison? best = null;
        var fewest = long.MaxValue;
        foreach (var (comparison, resolved) in candidates)
        {
            var count = Count(connection, comparison, resolved);
            if (count < fewest) (best, fewest) = (comparison, count);
        }
        return best;
    }

    private static long Count(SqliteConnection connection, WhereComparison comparison, WhereSql.Resolved resolved)
    {
        var (column, op, value) = WhereSql.ValueTest(comparison);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM (SELECT 1 FROM job_values WHERE source = $source AND name = $name AND {column} {op} $value LIMIT {Cap.ToString(CultureInfo.InvariantCulture)})";
        command.Parameters.AddWithValue("$source", (int)resolved.Source!.Value);
        command.Parameters.AddWithValue("$name", resolved.Name);
        command.Parameters.AddWithValue("$value", value);
        return (long)(command.ExecuteScalar() ?? 0L);
    }
}
