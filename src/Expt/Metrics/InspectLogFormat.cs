namespace Expt.Metrics;

/// <summary>The file format of an Inspect AI log.</summary>
public enum InspectLogFormat
{
    /// <summary>The zip <c>.eval</c> format (Inspect's default format).</summary>
    Eval,

    /// <summary>The older single-file <c>.json</c> format.</summary>
    Json,
}
