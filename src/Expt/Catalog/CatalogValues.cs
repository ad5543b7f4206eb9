using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Expt.Catalog;

/// <summary>
/// A job's values as one compact JSON text, <c>[[source, name, kind, num, text], …]</c>, stored beside the job so a
/// listing loads them with the row instead of looking each one up.
/// </summary>
internal static class CatalogValues
{
    public static string ToJson(IReadOnlyList<CatalogValue> values)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (values.Count * 32));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var v in values)
            {
                writer.WriteStartArray();
                writer.WriteNumberValue((int)v.Source);
                writer.WriteStringValue(v.Name);
                writer.WriteNumberValue((int)v.Kind);
                if (v.Number is { } n && double.IsFinite(n)) writer.WriteNumberValue(n);
                else writer.WriteNullValue();
                if (v.Text is null) writer.WriteNullValue();
                else writer.WriteStringValue(v.Text);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Read(string json, Dictionary<string, CatalogValue> parameters, Dictionary<string, CatalogValue> metrics)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read(); // [
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var source = (ValueSource)reader.GetInt32();
            reader.Read();
            var name = reader.GetString()!;
            reader.Read();
            var kind = (ValueKind)reader.GetInt32();
            reader.Read();
            double? number = reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();
            reader.Read();
            var text = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
            reader.Read(); // ]
            // Infinities are not JSON: they come back from their text.
            if (kind == ValueKind.Number && number is null && text is not null) number = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            (source == ValueSource.Param ? parameters : metrics)[name] = new CatalogValue(source, name, kind, number, text);
        }
    }
}
