using Expt.Catalog;
using Expt.Cli.Rendering;
using Expt.Reporting;

namespace Expt.Cli.Tests.Rendering;

/// <summary>Rows and reports built in memory, and their rendering, for the renderer tests.</summary>
internal static class RenderInputs
{
    public static CatalogValue Param(string name, double n) => new(ValueSource.Param, name, ValueKind.Number, n, null);

    public static CatalogValue Param(string name, string text) => new(ValueSource.Param, name, ValueKind.Text, null, text);

    public static CatalogValue Metric(string name, double n) => new(ValueSource.Metric, name, ValueKind.Number, n, null);

    public static CatalogValue Metric(string name, string text) => new(ValueSource.Metric, name, ValueKind.Text, null, text);

    /// <summary>A succeeded job of <c>exp/run1</c> as the catalog lists it.</summary>
    public static JobRow Row(string id, IEnumerable<CatalogValue> values) => new(
        "exp", "run1", id, id, "default", "main", "succeeded", 1, 0, null, null, 1.5, "/r/" + id, false,
        values.Where(v => v.Source == ValueSource.Param).ToDictionary(v => v.Name),
        values.Where(v => v.Source == ValueSource.Metric).ToDictionary(v => v.Name));

    /// <summary>What <c>expt ls --jobs</c> prints for the rows.</summary>
    public static string Ls(params JobRow[] rows)
    {
        var output = new StringWriter();
        LsRenderer.WriteJobs(output, rows, verbose: false);
        return output.ToString();
    }

    /// <summary>A local run <c>tune/r</c> of the given jobs, all succeeded.</summary>
    public static RunReport ShowReport(IReadOnlyList<JobReport> jobs) => new()
    {
        Experiment = "tune",
        RunId = "r",
        Directory = "/runs/tune/r",
        Executor = "local",
        Git = new GitReport("nogit", null, false, null, []),
        States = new Dictionary<string, int> { ["succeeded"] = jobs.Count },
        Jobs = jobs,
        Failures = [],
    };

    /// <summary>What <c>expt show</c> prints for the report.</summary>
    public static string Show(RunReport report)
    {
        var output = new StringWriter();
        RunReportRenderer.Write(output, report, "/elsewhere");
        return output.ToString();
    }
}
