using System.CommandLine;
using System.Text.Json;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Reporting;

namespace Expt.Cli.Commands;

/// <summary><c>expt show RUN</c>: a run's provenance, question, jobs and failures (live or archived).</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context)
    {
        var run = RunReference.OptionalArgument();
        var results = RunReference.ResultsOption();
        var json = new Option<bool>("--json") { Description = "Print the report as JSON" };
        var command = new Command("show", "Show a run: provenance, question and hypothesis, git, every job with its key metrics, failures with their stderr");
        command.Add(run);
        command.Add(results);
        command.Add(json);
        command.SetAction(parse =>
        {
            var record = ReportTargets.ReadRun(context, parse.GetValue(run)!, parse.GetValue(results));
            if (record is null) return ExitCodes.InvalidInput;
            var report = RunReport.From(record);
            NotReadWarnings.Write(context.Error, report.NotRead);
            if (parse.GetValue(json)) context.Out.WriteLine(JsonFiles.Serialize(report, ReportJson.Options));
            else RunReportRenderer.Write(context.Out, report, Environment.CurrentDirectory);
            return ExitCodes.Success;
        });
        return command;
    }
}
