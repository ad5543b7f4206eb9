using System.Text;
using Expt.Recording;

namespace Expt.Design;

/// <summary>
/// <c>experiment_summary.md</c>: the design as a document a researcher reviews before approving the study, and,
/// in a run's directory, the same document with its status tables kept current while the run goes. Every value a
/// spec, a job or the file system controls is escaped (see <see cref="MarkdownText"/>), and every table lists at
/// most <see cref="SummaryTable.MaxRows"/> rows while the counts and totals stay complete.
/// </summary>
public static class SummaryMarkdown
{
    /// <summary>The document's file name, in the design's directory and in a run's.</summary>
    public const string FileName = "experiment_summary.md";

    /// <summary>The whole document.</summary>
    /// <param name="design">The design.</param>
    /// <param name="statuses">Each job's current status by job id; a job without one (or every job, when null) is pending.</param>
    public static string Render(ExperimentDesign design, IReadOnlyDictionary<string, JobStatus>? statuses = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        var facts = new SummaryFacts(design);
        var sb = new StringBuilder();
        SummaryOverview.Write(sb, facts);
        SummaryOverview.WriteVariables(sb, design.Plan.Definition);
        SummaryVariants.Write(sb, facts);
        SummaryVariants.WriteMatrix(sb, facts);
        SummaryResources.Write(sb, design);
        SummaryResources.WriteConfiguration(sb, design.Plan.Definition);
        SummaryEstimates.Write(sb, facts);
        SummaryStatus.WriteNaming(sb, facts);
        SummaryStatus.Write(sb, facts, statuses ?? new Dictionary<string, JobStatus>());
        SummaryStatus.WriteNextSteps(sb, design);
        return sb.ToString().TrimEnd('\n') + "\n";
    }
}
