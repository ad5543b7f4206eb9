namespace Expt.Tables;

/// <summary>Reads a results table by its extension: <c>.parquet</c>, <c>.csv</c>, <c>.jsonl</c> (or <c>.ndjson</c>).</summary>
public static class ResultTableFiles
{
    /// <summary>The extensions read.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".parquet", ".csv", ".jsonl", ".ndjson"];

    /// <summary>Reads the file.</summary>
    /// <exception cref="ResultTableException">Missing, of another kind, unreadable or over a limit.</exception>
    public static async Task<ResultTable> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new ResultTableException($"{path}: no such file");
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".parquet" => await ParquetTableFile.ReadAsync(path, cancellationToken).ConfigureAwait(false),
            ".csv" or ".jsonl" or ".ndjson" => TextTableFile.Read(path),
            _ => throw new ResultTableException($"{path}: expected a .parquet, .csv or .jsonl results table"),
        };
    }
}
