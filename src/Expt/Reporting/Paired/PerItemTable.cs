using System.Globalization;

namespace Expt.Reporting.Paired;

/// <summary>One item's scores in one job's per-item table.</summary>
/// <param name="Id">The item id.</param>
/// <param name="Split">The item's split (or other group), when the table has a text column; else null.</param>
/// <param name="Scores">The score of each of the table's <see cref="PerItemTable.Columns"/>; null where the cell is empty or not a number.</param>
public sealed record PerItemRow(string Id, string? Split, IReadOnlyList<double?> Scores);

/// <summary>
/// A job's per-item scores: what <c>per_item_scores.csv</c>, <c>per_item_scores.jsonl</c> or the samples of an Inspect
/// log say about each item. Built from raw cells, so every format types its columns the same way.
/// </summary>
/// <param name="File">The file read.</param>
/// <param name="Columns">The score columns, in the file's order.</param>
/// <param name="SplitColumn">The column whose text groups items; null without one.</param>
/// <param name="Rows">The items, in the file's order, each id once.</param>
public sealed record PerItemTable(string File, IReadOnlyList<string> Columns, string? SplitColumn, IReadOnlyList<PerItemRow> Rows)
{
    /// <summary>The id columns looked for, in this order, when the spec names none.</summary>
    public static readonly IReadOnlyList<string> IdColumns = ["item", "item_id", "id", "sample_id"];

    /// <summary>The most score columns of a table that are compared.</summary>
    public const int MaxColumns = 20;

    /// <summary>The most splits a table's items are compared within.</summary>
    public const int MaxSplits = 20;

    /// <summary>The text column that groups items when the table has it.</summary>
    public const string SplitName = "split";

    /// <summary>
    /// Types the columns of raw rows and builds the table. A column is a score column when its first non-empty cell
    /// is a number (<c>true</c>/<c>false</c> count as 1/0), a text column otherwise; the split is <c>split</c> when the
    /// table has it, else the first text column that looks like a group (see <c>SplitIndex</c>). A row without an id, or with an id seen before, is left out and
    /// a later cell of a score column that is not a number is left empty, each with a warning naming the line.
    /// </summary>
    /// <returns>The table, or null (with a warning) when no id column is found.</returns>
    internal static PerItemTable? Build(string file, IReadOnlyList<string> header, IReadOnlyList<RawRow> rows, string? idName, ICollection<string> warnings)
    {
        var idIndex = idName is not null
            ? IndexOf(header, idName)
            : IdColumns.Select(c => IndexOf(header, c)).FirstOrDefault(i => i >= 0, -1);
        if (idIndex < 0)
        {
            var expected = idName is not null ? $"the column '{idName}' the spec's per_item.id names" : "an id column (" + string.Join(", ", IdColumns) + ")";
            warnings.Add($"{file}: has no {expected}; it was not read");
            return null;
        }
        var isScore = new bool[header.Count];
        for (var c = 0; c < header.Count; c++)
        {
            if (c == idIndex) continue;
            var first = rows.Select(r => c < r.Cells.Count ? r.Cells[c] : null).FirstOrDefault(v => !string.IsNullOrEmpty(v));
            isScore[c] = first is not null && TryNumber(first, out _);
        }
        var splitIndex = SplitIndex(file, header, rows, idIndex, isScore, warnings);
        var scoreIndexes = Enumerable.Range(0, header.Count).Where(c => isScore[c]).ToList();
        if (scoreIndexes.Count > MaxColumns)
        {
            // Every column is compared for every pair of groups and split, each with 10,000 resamples.
            warnings.Add($"{file}: has {scoreIndexes.Count.ToString(CultureInfo.InvariantCulture)} score columns; the first {MaxColumns.ToString(CultureInfo.InvariantCulture)} are compared");
            scoreIndexes = scoreIndexes.Take(MaxColumns).ToList();
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = new List<PerItemRow>(rows.Count);
        foreach (var row in rows)
        {
            var id = idIndex < row.Cells.Count ? row.Cells[idIndex] : null;
            if (string.IsNullOrEmpty(id))
            {
                warnings.Add($"{file}:{row.Line.ToString(CultureInfo.InvariantCulture)}: has no {header[idIndex]}; the row was skipped");
                continue;
            }
            if (!seen.Add(id))
            {
                warnings.Add($"{file}:{row.Line.ToString(CultureInfo.InvariantCulture)}: {header[idIndex]} '{id}' was seen before; the row was skipped");
                continue;
            }
            var scores = new double?[scoreIndexes.Count];
            for (var s = 0; s < scoreIndexes.Count; s++)
            {
                var cell = scoreIndexes[s] < row.Cells.Count ? row.Cells[scoreIndexes[s]] : null;
                if (string.IsNullOrEmpty(cell)) continue;
                if (TryNumber(cell, out var value)) scores[s] = double.IsFinite(value) ? value : null;
                else warnings.Add($"{file}:{row.Line.ToString(CultureInfo.InvariantCulture)}: {header[scoreIndexes[s]]} '{Shorten(cell)}' is not a number; left out");
            }
            var split = splitIndex >= 0 && splitIndex < row.Cells.Count && !string.IsNullOrEmpty(row.Cells[splitIndex]) ? row.Cells[splitIndex] : null;
            items.Add(new PerItemRow(id, split, scores));
        }
        return new PerItemTable(file, scoreIndexes.Select(c => header[c]).ToList(), splitIndex >= 0 ? header[splitIndex] : null, items);
    }

    /// <summary>
    /// The column that groups items: <c>split</c>, else the first text column with at most <see cref="MaxSplits"/>
    /// values, some repeated (a text column with a value per item is a note or a second id, not a group); -1 for none.
    /// </summary>
    private static int SplitIndex(string file, IReadOnlyList<string> header, IReadOnlyList<RawRow> rows, int idIndex, bool[] isScore, ICollection<string> warnings)
    {
        var candidates = new List<int>();
        for (var c = 0; c < header.Count; c++)
        {
            if (c == idIndex || isScore[c]) continue;
            var values = rows.Select(r => c < r.Cells.Count ? r.Cells[c] : null).Where(v => !string.IsNullOrEmpty(v)).ToList();
            var distinct = values.Distinct(StringComparer.Ordinal).Count();
            if (values.Count == 0) continue;
            if (header[c] == SplitName)
            {
                if (distinct <= MaxSplits) return c;
                warnings.Add($"{file}: column {SplitName} has {distinct.ToString(CultureInfo.InvariantCulture)} values, more than the {MaxSplits.ToString(CultureInfo.InvariantCulture)} compared one by one; items are compared over all splits only");
                return -1;
            }
            if (distinct <= MaxSplits && distinct < values.Count) candidates.Add(c);
        }
        return candidates.FirstOrDefault(-1);
    }

    /// <summary>A number as written (invariant culture), or <c>true</c>/<c>false</c> as 1/0.</summary>
    internal static bool TryNumber(string text, out double value)
    {
        if (bool.TryParse(text, out var flag))
        {
            value = flag ? 1 : 0;
            return true;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name) return i;
        }
        return -1;
    }
}

/// <summary>A row of cells as read, with its line in the file.</summary>
internal sealed record RawRow(int Line, IReadOnlyList<string?> Cells);
