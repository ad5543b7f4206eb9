using System.CommandLine;
using Expt.Internal;
using Expt.Reporting;

namespace Expt.Cli.Commands;

/// <summary><c>expt export RUN --format csv|jsonl [-o FILE]</c>: one row per job with its fields, params and metrics.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var run = RunReference.OptionalArgument();
        var results = RunReference.ResultsOption();
        var format = new Option<string>("--format", "-f") { Description = "csv (RFC 4180) or jsonl (one JSON object per job)", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (atomically) instead of stdout" };
        var command = new Command("export", "Export a run as a table: one row per job with its state, compute, every param and every metric");
        command.Add(run);
        command.Add(format);
        command.Add(output);
        command.Add(results);
        command.SetAction(parse =>
        {
            var record = ReportTargets.ReadRun(context, parse.GetValue(run)!, parse.GetValue(results));
            if (record is null) return ExitCodes.InvalidInput;
            var table = ExportTable.From(record);
            NotReadWarnings.Write(context.Error, table.NotRead);
            if (record.Unselected.Count > 0)
            {
                // On stderr: stdout is the table, often piped into a file or a program.
                context.Error.WriteLine($"note: {record.Unselected.Count} job(s) of the spec were not selected in run {record.Experiment}/{record.RunId} (--filter, --only or --skip) and are left out");
            }
            var text = parse.GetValue(format) == "jsonl" ? JsonlExporter.ToText(table) : CsvExporter.ToText(table);
            return TextOutput.Write(context, text, parse.GetValue(output), () => $"{table.Rows.Count} job(s), {table.Columns.Count} columns");
        });
        return command;
    }
}
