namespace Expt.Metrics;

/// <summary>The status of an Inspect AI evaluation, as its log records it.</summary>
public enum InspectLogStatus
{
    /// <summary>Still running, or crashed before finishing (an <c>.eval</c> without <c>header.json</c>).</summary>
    Started,

    /// <summary>Finished successfully.</summary>
    Success,

    /// <summary>Cancelled by the user.</summary>
    Cancelled,

    /// <summary>Stopped by an error; see <see cref="InspectLogSummary.ErrorMessage"/>.</summary>
    Error,

    /// <summary>The log holds a status this version of Expt does not know (a warning says which).</summary>
    Unknown,
}
