using System.Globalization;
using System.Text.Json;

namespace Expt.Reporting.Paired;

/// <summary><c>per_item_scores.jsonl</c>: one flat JSON object per item; numbers and booleans are scores, strings text.</summary>
internal static class PerItemJsonl
{
    public static PerItemTable? Read(string path, List<(int Line, string Text)> lines, string? idName, ICollection<string> warnings)
    {
        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var parsed = new List<(int Line, Dictionary<int, string?> Cells)>(lines.Count);
        foreach (var (line, text) in lines)
        {
            var at = $"{path}:{line.ToString(CultureInfo.InvariantCulture)}";
            try
            {
                using var document = JsonDocument.Parse(text.TrimStart('\uFEFF'), new JsonDocumentOptions { MaxDepth = 8 });
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    warnings.Add($"{at}: is not a JSON object; skipped");
                    continue;
                }
                var cells = new Dictionary<int, string?>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!index.TryGetValue(property.Name, out var column))
                    {
                        column = index[property.Name] = names.Count;
                        names.Add(property.Name);
                    }
                    cells[column] = Cell(property.Value);
                }
                parsed.Add((line, cells));
            }
            catch (JsonException e)
            {
                warnings.Add($"{at}: is not valid JSON ({e.Message}); skipped");
            }
        }
        var rows = parsed.Select(p => new RawRow(p.Line, Enumerable.Range(0, names.Count).Select(c => p.Cells.GetValueOrDefault(c)).ToList())).ToList();
        return PerItemTable.Build(path, names, rows, idName, warnings);
    }

    /// <summary>A value as a cell's text: numbers as written, booleans as true/false, null as empty; objects and arrays are not cells.</summary>
    internal static string? Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };
}
