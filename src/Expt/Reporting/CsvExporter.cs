using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Specs;

namespace Expt.Reporting;

/// <summary>
/// Writes an <see cref="ExportTable"/> as CSV (RFC 4180): a header row, then one record per job; records end
/// with CRLF; a field is quoted when it holds a comma, a double quote, CR or LF, or starts or ends with a space,
/// and quotes inside are doubled. Empty field: no value. Numbers in invariant culture, booleans <c>true</c>/<c>false</c>,
/// lists and maps as compact JSON, text as is (UTF-8, no BOM).
/// </summary>
public static class CsvExporter
{
    private const string RecordEnd = "\r\n";

    /// <summary>Writes the table.</summary>
    public static void Write(ExportTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(string.Join(',', table.Columns.Select(c => Quote(c.Name))));
        output.Write(RecordEnd);
        foreach (var row in table.Rows)
        {
            output.Write(string.Join(',', table.Columns.Select(c => Quote(Cell(row.GetValueOrDefault(c.Name))))));
            output.Write(RecordEnd);
        }
    }

    /// <summary>The table as CSV text.</summary>
    public static string ToText(ExportTable table)
    {
        using var writer = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture);
        Write(table, writer);
        return writer.ToString();
    }

    /// <summary>A field, quoted when RFC 4180 requires it (or when spaces at its ends would be lost by readers that trim).</summary>
    public static string Quote(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var needs = field.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (field.Length > 0 && (field[0] == ' ' || field[^1] == ' '));
        return needs ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    /// <summary>The text of one value.</summary>
    public static string Cell(JsonNode? value) => value switch
    {
        null => "",
        JsonArray or JsonObject => ParamValues.ToCompactJson(value),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d) && v.GetValue<object>() is double or float =>
            ParamValues.FormatDouble(d),
        _ => value.ToJsonString(),
    };
}
