using System.Text;
using DuckDB.NET.Data;

namespace Expt.Tables;

/// <summary>The result of <c>expt query</c>.</summary>
/// <param name="Table">The rows (at most <see cref="TableQuery.MaxRows"/>).</param>
/// <param name="Truncated">True when the query returned more rows than were kept.</param>
public sealed record QueryResult(ResultTable Table, bool Truncated);

/// <summary>
/// Read-only SQL over results tables with DuckDB, in process: the tables are loaded into an in-memory database, then
/// access to anything outside it (files, extensions, other databases) is switched off and locked before the query
/// runs, so a query can neither read nor write a file. Only one <c>SELECT</c> or <c>WITH</c> statement is accepted.
/// </summary>
public static class TableQuery
{
    /// <summary>The most rows returned.</summary>
    public const int MaxRows = 100_000;

    /// <summary>The longest query accepted.</summary>
    public const int MaxQueryLength = 100_000;

    // Checked outside strings, comments and quoted names: words that change state or reach outside the database.
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "COPY", "ATTACH", "DETACH", "PRAGMA", "INSTALL", "LOAD",
        "EXPORT", "IMPORT", "CALL", "CHECKPOINT", "VACUUM", "MERGE", "TRUNCATE", "REPLACE", "SET", "RESET", "USE", "BEGIN", "COMMIT", "ROLLBACK",
    };

    /// <summary>Why <paramref name="sql"/> is refused; null when it is one SELECT or WITH statement.</summary>
    public static string? Problem(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (sql.Length > MaxQueryLength) return $"the query is longer than {MaxQueryLength} characters";
        var words = Words(sql, out var statements, out var unclosed);
        if (unclosed) return "the query has an unclosed quote or comment";
        if (words.Count == 0) return "the query is empty";
        if (statements > 1) return "only one statement is run; remove the ';' between statements";
        if (!words[0].Equals("SELECT", StringComparison.OrdinalIgnoreCase) && !words[0].Equals("WITH", StringComparison.OrdinalIgnoreCase))
        {
            return $"only SELECT and WITH queries are run (read-only); this one starts with {words[0].ToUpperInvariant()}";
        }
        return words.FirstOrDefault(Refused.Contains) is { } refused ? $"only reading queries are run; '{refused.ToUpperInvariant()}' is not allowed" : null;
    }

    /// <summary>Runs a query over <paramref name="tables"/> (each becomes a table of that name).</summary>
    /// <param name="sql">One SELECT or WITH statement.</param>
    /// <param name="tables">The tables the query may read, by name.</param>
    /// <param name="cancellationToken">Interrupts the query where DuckDB is (a cross join can run for hours).</param>
    /// <exception cref="ResultTableException">The query is refused, or DuckDB reports an error in it (the message is DuckDB's).</exception>
    /// <exception cref="OperationCanceledException">The query was interrupted through <paramref name="cancellationToken"/>.</exception>
    public static QueryResult Run(string sql, IReadOnlyList<KeyValuePair<string, ResultTable>> tables, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (Problem(sql) is { } problem) throw new ResultTableException(problem);
        try
        {
            using var connection = new DuckDBConnection("DataSource=:memory:");
            connection.Open();
            foreach (var (name, table) in tables) DuckTables.Load(connection, name, table);
            using (var lockDown = connection.CreateCommand())
            {
                lockDown.CommandText = "SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false; SET lock_configuration = true;";
                lockDown.ExecuteNonQuery();
            }
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var interrupt = cancellationToken.Register(command.Cancel);
            var result = DuckTables.Read(command, MaxRows, out var truncated);
            cancellationToken.ThrowIfCancellationRequested();
            return new QueryResult(result, truncated);
        }
        catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (DuckDBException e)
        {
            throw new ResultTableException(e.Message.Trim(), e);
        }
    }

    /// <summary>The words outside strings, quoted names and comments, and how many statements the text has.</summary>
    private static List<string> Words(string sql, out int statements, out bool unclosed)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        statements = 0;
        var sinceSemicolon = false;
        unclosed = false;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            var skip = c switch
            {
                '\'' or '"' => Close(sql, i, c.ToString()),
                '-' when i + 1 < sql.Length && sql[i + 1] == '-' => Close(sql, i, "\n", allowEnd: true),
                '/' when i + 1 < sql.Length && sql[i + 1] == '*' => Close(sql, i + 1, "*/"),
                _ => i,
            };
            if (skip < 0)
            {
                unclosed = true;
                break;
            }
            if (skip != i || !(char.IsLetterOrDigit(c) || c == '_'))
            {
                if (word.Length > 0) words.Add(word.ToString());
                word.Clear();
                if (c == ';' && skip == i)
                {
                    if (sinceSemicolon) statements++;
                    sinceSemicolon = false;
                }
                else if (!char.IsWhiteSpace(c) && skip == i) sinceSemicolon = true;
                else if (skip != i && c is '\'' or '"') sinceSemicolon = true;
                i = skip;
                continue;
            }
            word.Append(c);
            sinceSemicolon = true;
        }
        if (word.Length > 0) words.Add(word.ToString());
        if (sinceSemicolon) statements++;
        return words;
    }

    /// <summary>The index of the last character of the quoted part starting at <paramref name="start"/>; -1 when it never closes.</summary>
    private static int Close(string sql, int start, string end, bool allowEnd = false)
    {
        var at = sql.IndexOf(end, start + 1, StringComparison.Ordinal);
        if (at < 0) return allowEnd ? sql.Length - 1 : -1;
        return at + end.Length - 1;
    }
}
