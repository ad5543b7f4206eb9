using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Reporting;
using Expt.Results;

namespace Expt.Tables;

/// <summary>
/// Turns <c>expt export</c>'s tables into typed <see cref="ResultTable"/>s: the jobs of one or several runs in one
/// table (the <c>experiment</c> and <c>run</c> columns tell the runs apart), columns typed by <see cref="ColumnTyping"/>
/// (<c>started</c> and <c>ended</c> are timestamps), with the runs' metadata (<see cref="TableMetadata"/>).
/// </summary>
public static class ExportTables
{
    /// <summary>The fixed fields that are instants.</summary>
    private static readonly HashSet<string> Instants = new(StringComparer.Ordinal) { "started", "ended" };

    /// <summary>The jobs of <paramref name="runs"/> as one typed table (columns in order of first appearance).</summary>
    public static ResultTable Jobs(IReadOnlyList<RunRecord> runs, out IReadOnlyList<string> notRead)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var tables = runs.Select(ExportTable.From).ToList();
        notRead = tables.SelectMany(t => t.NotRead).ToList();
        var names = tables.SelectMany(t => t.Columns.Select(c => c.Name)).Distinct(StringComparer.Ordinal).ToList();
        var rows = tables.SelectMany(t => t.Rows).ToList();
        return Typed(names, rows, TableMetadata.For(runs, "jobs"));
    }

    /// <summary>Types rows of JSON values (by <see cref="ColumnTyping"/>) into a table.</summary>
    public static ResultTable Typed(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyDictionary<string, JsonNode?>> rows, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count > ResultTable.MaxRows) throw new ResultTableException($"the table has {rows.Count.ToString("N0", CultureInfo.InvariantCulture)} rows, more than the {ResultTable.MaxRows.ToString("N0", CultureInfo.InvariantCulture)} written at most");
        var columns = names.Select(n => new TableColumn(n, Instants.Contains(n)
            ? TableColumnType.Timestamp
            : ColumnTyping.Infer(rows.Select(r => r.GetValueOrDefault(n))))).ToList();
        var values = rows.Select(r => columns.Select(c => ColumnTyping.Convert(r.GetValueOrDefault(c.Name), c.Type)).ToArray()).ToList();
        return new ResultTable(columns, values, metadata);
    }
}
