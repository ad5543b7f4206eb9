namespace Expt.Reporting;

/// <summary>A job that did not succeed, so its metrics are not in the study's statistics.</summary>
/// <param name="Id">The job id.</param>
/// <param name="State">Its state (snake_case).</param>
/// <param name="Reason">Why, in words, when recorded.</param>
public sealed record StudyFailure(string Id, string State, string? Reason);
