using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Metrics;
using Expt.Reporting;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>How reports print values: compact numbers, UTC times, params as in variant names.</summary>
internal static class ReportFormat
{
    /// <summary>What an absent value shows.</summary>
    public const string Missing = "-";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    public static string Metric(MetricValue? value) => value switch
    {
        null => Missing,
        { Kind: MetricKind.Number } v => CompactNumber.Format(v.AsNumber!.Value),
        { } v => v.ToString(),
    };

    public static string Param(JsonNode? value, bool present) => present ? ParamValues.ToDisplay(value) : Missing;

    public static string Seconds(double? seconds) => seconds is { } s ? Durations.Format(TimeSpan.FromSeconds(s)) : "";

    /// <summary>Indents every line of a table.</summary>
    public static void WriteIndented(TextWriter output, TextTable table, string indent = "  ")
    {
        foreach (var line in table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)) output.WriteLine(indent + line);
    }
}
