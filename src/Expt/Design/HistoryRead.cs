namespace Expt.Design;

/// <summary>What <see cref="JobHistory.Read(string, string)"/> found of an experiment's earlier runs.</summary>
/// <param name="Jobs">Every succeeded job of the experiment's runs, newest runs first (each run's jobs in manifest order).</param>
/// <param name="Runs">How many runs those jobs come from.</param>
/// <param name="Warnings">What was left out or could not be read, in words (a catalog that could not be read, runs that
/// could not be read, the cut at <see cref="JobHistory.MaxJobs"/>).</param>
public sealed record HistoryRead(IReadOnlyList<HistoryJob> Jobs, int Runs, IReadOnlyList<string> Warnings)
{
    /// <summary>No history.</summary>
    public static readonly HistoryRead Empty = new([], 0, []);
}
