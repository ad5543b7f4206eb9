namespace Expt.Tables;

/// <summary>The type of a results-table column, as Parquet, DuckDB, pandas and polars all understand it.</summary>
public enum TableColumnType
{
    /// <summary>64-bit integers (<see cref="long"/>).</summary>
    Int64,

    /// <summary>Doubles (<see cref="double"/>), NaN and infinities included.</summary>
    Double,

    /// <summary>Booleans (<see cref="bool"/>).</summary>
    Boolean,

    /// <summary>UTF-8 text (<see cref="string"/>); lists and maps as compact JSON.</summary>
    String,

    /// <summary>Instants in UTC with milliseconds (<see cref="DateTimeOffset"/>).</summary>
    Timestamp,
}

/// <summary>One typed column of a results table.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type">Its type; every value is of it or null.</param>
public sealed record TableColumn(string Name, TableColumnType Type);

/// <summary>
/// A results table in memory: typed, nullable columns, rows as arrays in column order (values are <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/>, <see cref="string"/>, <see cref="DateTimeOffset"/> or null), and the
/// file's key-value metadata. What <c>expt export</c> writes and <c>expt inspect</c> reads.
/// </summary>
/// <param name="Columns">The columns.</param>
/// <param name="Rows">The rows, each with one value per column.</param>
/// <param name="Metadata">Key-value metadata, in a stable order (empty for CSV and JSON Lines).</param>
public sealed record ResultTable(IReadOnlyList<TableColumn> Columns, IReadOnlyList<object?[]> Rows, IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    /// <summary>The most rows a table holds in memory (exports and <c>expt inspect</c> stop there with an error).</summary>
    public const int MaxRows = 2_000_000;

    /// <summary>The most columns a table has.</summary>
    public const int MaxColumns = 10_000;

    /// <summary>The index of a column by name; -1 when the table has none.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == name) return i;
        }
        return -1;
    }
}

/// <summary>A results table that could not be read or written: the message says which file and why.</summary>
public sealed class ResultTableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ResultTableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ResultTableException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ResultTableException()
    {
    }
}
