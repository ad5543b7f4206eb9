using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Metrics;

namespace Expt.Tables;

/// <summary>
/// Reads CSV (RFC 4180: a header row, quoted fields may hold commas, quotes and line breaks) and JSON Lines (one flat
/// object a line; the columns are the union of the keys in order of first appearance) results tables, typing each
/// column with <see cref="ColumnTyping"/>. Bounded: at most <see cref="MaxBytes"/> and <see cref="ResultTable.MaxRows"/> rows.
/// </summary>
public static class TextTableFile
{
    /// <summary>The largest text table read.</summary>
    public const long MaxBytes = 512L * 1024 * 1024;

    /// <summary>Reads a <c>.csv</c> or <c>.jsonl</c> file (by its extension).</summary>
    /// <exception cref="ResultTableException">The file cannot be read, is too large or is not a table.</exception>
    public static ResultTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (RegularFile.Problem(path) is { } problem) throw new ResultTableException($"{path}: {problem}");
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length > MaxBytes) throw new ResultTableException($"{path}: is larger than the {ReadLimits.Format(MaxBytes)} read at most");
            using var bounded = new BoundedStream(file, MaxBytes, () => $"grew past the {ReadLimits.Format(MaxBytes)} read at most while it was read");
            using var reader = new StreamReader(bounded, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new ResultTableException($"{path}: could not be read: {e.Message}", e);
        }
        return path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? ReadJsonl(path, text)
            : ReadCsv(path, text);
    }

    /// <summary>Parses CSV text.</summary>
    public static ResultTable ReadCsv(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = CsvRecords(path, text);
        if (records.Count == 0) throw new ResultTableException($"{path}: is empty (no header row)");
        var header = records[0];
        if (header.Any(string.IsNullOrWhiteSpace) || header.Distinct(StringComparer.Ordinal).Count() != header.Count)
        {
            throw new ResultTableException($"{path}:1: the header needs distinct, non-empty column names");
        }
        for (var r = 1; r < records.Count; r++)
        {
            if (records[r].Count != header.Count)
            {
                throw new ResultTableException($"{path}: record {r + 1} has {records[r].Count} fields, the header {header.Count}");
            }
        }
        var body = records.Skip(1).ToList();
        var columns = header.Select((name, c) => new TableColumn(name, ColumnTyping.InferText(body.Select(r => r[c])))).ToList();
        var rows = body.Select(r => columns.Select((col, c) => ColumnTyping.ConvertText(r[c], col.Type)).ToArray()).ToList();
        return new ResultTable(columns, rows, []);
    }

    /// <summary>Parses JSON Lines text.</summary>
    public static ResultTable ReadJsonl(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var objects = new List<JsonObject>();
        var number = 0;
        foreach (var line in text.Split('\n'))
        {
            number++;
            if (line.Trim().Length == 0) continue;
            if (objects.Count >= ResultTable.MaxRows) throw new ResultTableException($"{path}: has more than {ResultTable.MaxRows:N0} rows, the most read");
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line.TrimStart('\uFEFF'), documentOptions: new JsonDocumentOptions { MaxDepth = 16 });
            }
            catch (JsonException e)
            {
                throw new ResultTableException($"{path}:{number.ToString(CultureInfo.InvariantCulture)}: is not valid JSON ({e.Message})", e);
            }
            if (node is not JsonObject o) throw new ResultTableException($"{path}:{number.ToString(CultureInfo.InvariantCulture)}: is not a JSON object");
            foreach (var property in o)
            {
                if (seen.Add(property.Key)) names.Add(property.Key);
            }
            objects.Add(o);
        }
        if (names.Count > ResultTable.MaxColumns) throw new ResultTableException($"{path}: has more than {ResultTable.MaxColumns:N0} columns");
        var columns = names.Select(n => new TableColumn(n, ColumnTyping.Infer(objects.Select(o => o[n])))).ToList();
        var rows = objects.Select(o => columns.Select(c => ColumnTyping.Convert(o[c.Name], c.Type)).ToArray()).ToList();
        return new ResultTable(columns, rows, []);
    }

    private static List<List<string>> CsvRecords(string path, string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else quoted = false;
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    if (any || field.Length > 0) EndRecord();
                    break;
                default:
                    field.Append(c);
                    any = true;
                    break;
            }
        }
        if (quoted) throw new ResultTableException($"{path}: a quoted field is not closed");
        if (any || field.Length > 0) EndRecord();
        return records;

        void EndRecord()
        {
            record.Add(field.ToString());
            field.Clear();
            records.Add(record);
            record = [];
            any = false;
            if (records.Count > ResultTable.MaxRows + 1) throw new ResultTableException($"{path}: has more than {ResultTable.MaxRows:N0} rows, the most read");
        }
    }
}
