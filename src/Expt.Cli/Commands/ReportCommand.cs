using System.CommandLine;
using System.Text.Json;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Reporting;
using Expt.Reporting.Charts;
using Expt.Reporting.Paired;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt report RUN</c>: which variant won, by how much, whether it is significant against the baseline, and what
/// it cost; Markdown, HTML or JSON.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var run = RunReference.RejectingOptions(new Argument<string[]>("runs")
        {
            Description = "The run (its directory, its id, EXPERIMENT/ID, or 'latest', the default); several runs of one experiment are pooled",
            Arity = ArgumentArity.ZeroOrMore,
        });
        var experiment = new Option<string?>("--experiment") { Description = "With --all: the experiment whose runs are pooled" };
        var all = new Option<bool>("--all") { Description = "Pool every run of --experiment in the results root (archived runs included)" };
        var results = RunReference.ResultsOption();
        var metric = new Option<string[]>("--metric", "-m") { Description = "Report this metric (NAME, NAME:max or NAME:min; repeatable); default: every numeric metric", Arity = ArgumentArity.ZeroOrMore };
        var by = new Option<string[]>("--by") { Description = "Group by these params only (repeatable or comma-separated); default: every param that varies", Arity = ArgumentArity.ZeroOrMore };
        var over = new Option<string?>("--over") { Description = "The replicate param pooled in a group (default: seed, when it varies)" };
        var baseline = new Option<string?>("--baseline") { Description = "The baseline: a variant, a group, or kind:KIND (default: the variants of kind control)" };
        var stage = new Option<string?>("--stage") { Description = "Report this stage's metrics (default: the last stage with metrics)" };
        var format = new Option<string>("--format", "-f") { Description = "md (Markdown), html or json", DefaultValueFactory = _ => "md" };
        format.AcceptOnlyFromAmong("md", "html", "json");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (atomically) instead of stdout" };
        var command = new Command("report", "Report a study: groups over replicates with mean and 95% CI, the winner per metric, Welch's t-test against the baseline, compute per group, failures");
        foreach (var option in new Option[] { metric, by, over, baseline, stage, format, output, experiment, all, results }) command.Add(option);
        command.Add(run);
        command.SetAction(parse =>
        {
            var records = ReportTargets.ReadRuns(context, parse.GetValue(run) ?? [], parse.GetValue(experiment), parse.GetValue(all), parse.GetValue(results));
            if (records is null) return ExitCodes.InvalidInput;
            var options = new StudyOptions
            {
                Metrics = (parse.GetValue(metric) ?? []).Select(MetricRequest.Parse).ToList(),
                By = (parse.GetValue(by) ?? []).SelectMany(b => b.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                Over = parse.GetValue(over),
                Baseline = parse.GetValue(baseline),
                Stage = parse.GetValue(stage),
            };
            StudyReport report;
            try
            {
                report = records.Count == 1 ? StudyReport.From(records[0], options) : StudyReport.From(records, options);
            }
            catch (StudyReportException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            NotReadWarnings.Write(context.Error, report.NotRead);
            // A pooled report belongs to no single run: its comparisons are in the report (and --format json) only.
            if (records.Count == 1 && SignificanceFile.TryWrite(records[0], report) is { } skipped) context.Error.WriteLine($"note: {skipped}");
            var file = parse.GetValue(output);
            Action undoCharts = () => { };
            var text = parse.GetValue(format) switch
            {
                "json" => JsonFiles.Serialize(report, ReportJson.WithNulls) + "\n",
                "html" => StudyReportHtml.ToText(report, ReportCharts.Of(report)),
                _ => MarkdownWithCharts(context, report, file, out undoCharts),
            };
            if (text is null) return ExitCodes.InvalidInput;
            var code = TextOutput.Write(context, text, file, () => $"report of {report.Experiment}/{report.RunId}{(report.Runs.Count > 1 ? $" ({report.Runs.Count} runs pooled)" : "")} ({report.Groups.Count} group(s), {report.Metrics.Count} metric(s))");
            // The report itself could not be written: the PNGs made for it go too.
            if (code != ExitCodes.Success) undoCharts();
            return code;
        });
        return command;
    }

    /// <summary>The Markdown report; written to a file, its charts go as PNGs beside it first (so no link is ever dangling). Null when they cannot.</summary>
    private static string? MarkdownWithCharts(CliContext context, StudyReport report, string? file, out Action undo)
    {
        undo = () => { };
        var charts = ReportCharts.Of(report);
        if (file is null) return StudyReportMarkdown.ToText(report, ReportChartOutput.NotDrawn(charts));
        var folder = ReportChartOutput.FolderOf(file);
        try
        {
            if (!Directory.Exists(Path.GetDirectoryName(folder))) return StudyReportMarkdown.ToText(report);
            return StudyReportMarkdown.ToText(report, ReportChartOutput.WritePngs(charts, folder, out undo));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: cannot write the charts to {folder}: {e.Message}");
            return null;
        }
    }
}
