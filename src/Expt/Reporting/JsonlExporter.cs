using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Expt.Specs;

namespace Expt.Reporting;

/// <summary>
/// Writes an <see cref="ExportTable"/> as JSON Lines: one object per job, every column as a key (in column
/// order, null when the job has no value), values typed: numbers, booleans, strings, lists and maps as JSON.
/// </summary>
public static class JsonlExporter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>Writes the table.</summary>
    public static void Write(ExportTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var row in table.Rows)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            {
                writer.WriteStartObject();
                foreach (var column in table.Columns)
                {
                    writer.WritePropertyName(column.Name);
                    ParamValues.Write(writer, row.GetValueOrDefault(column.Name));
                }
                writer.WriteEndObject();
            }
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
            output.Write('\n');
        }
    }

    /// <summary>The table as JSON Lines text.</summary>
    public static string ToText(ExportTable table)
    {
        using var writer = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture);
        Write(table, writer);
        return writer.ToString();
    }
}
