using System.CommandLine;
using Expt.Internal;
using Expt.Reporting;
using Expt.Results;
using Expt.Tables;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt export RUN… [--experiment NAME] [--items] --format csv|jsonl|parquet [-o FILE]</c>: one row per job (or per
/// item with <c>--items</c>) with its fields, params and metrics; several runs in one table.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var runs = RunReference.RejectingOptions(new Argument<string[]>("runs")
        {
            Description = "The runs (directory, id, EXPERIMENT/ID, or 'latest', the default); several go into one table",
            Arity = ArgumentArity.ZeroOrMore,
        });
        var experiment = new Option<string?>("--experiment") { Description = "Export every run of this experiment (archived runs included) into one table" };
        var results = RunReference.ResultsOption();
        var format = new Option<string>("--format", "-f") { Description = "csv (RFC 4180), jsonl (one JSON object per row) or parquet (typed columns and metadata; needs -o)", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "jsonl", "parquet");
        var items = new Option<bool>("--items") { Description = "One row per item: every job's per_item_scores.csv/.jsonl or Inspect samples, with the job's params" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to FILE (atomically) instead of stdout" };
        var command = new Command("export", "Export runs as a table: one row per job with its state, compute, every param and every metric (or per item with --items)");
        command.Add(runs);
        foreach (var option in new Option[] { experiment, format, items, output, results }) command.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var named = parse.GetValue(runs) ?? [];
            var name = parse.GetValue(experiment);
            var records = ReportTargets.ReadRuns(context, named, name, all: name is not null, parse.GetValue(results));
            if (records is null) return ExitCodes.InvalidInput;
            var kind = parse.GetValue(format)!;
            var file = parse.GetValue(output);
            if (kind == "parquet" && file is null)
            {
                context.Error.WriteLine("error: Parquet is binary: give the file to write with -o FILE");
                return ExitCodes.InvalidInput;
            }
            foreach (var record in records.Where(r => r.Unselected.Count > 0))
            {
                // On stderr: stdout is the table, often piped into a file or a program.
                context.Error.WriteLine($"note: {record.Unselected.Count} job(s) of the spec were not selected in run {record.Experiment}/{record.RunId} (--filter, --only or --skip) and are left out");
            }
            if (!parse.GetValue(items) && records.Count == 1 && kind != "parquet") return ExportOne(context, records[0], kind, file);
            ResultTable table;
            try
            {
                table = Build(context, records, parse.GetValue(items));
            }
            catch (ResultTableException e)
            {
                context.Error.WriteLine($"error: {VisibleText.Escape(e.Message)}");
                return ExitCodes.InvalidInput;
            }
            string Written() => $"{table.Rows.Count} {(parse.GetValue(items) ? "item" : "job")} row(s), {table.Columns.Count} columns";
            if (kind != "parquet") return TextOutput.Write(context, ResultTableText.ToText(table, kind == "jsonl"), file, Written);
            return await WriteParquetAsync(context, table, file!, Written, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>One run as csv or jsonl, written exactly as before several runs and Parquet existed.</summary>
    private static int ExportOne(CliContext context, RunRecord record, string kind, string? file)
    {
        var table = ExportTable.From(record);
        NotReadWarnings.Write(context.Error, table.NotRead);
        var text = kind == "jsonl" ? JsonlExporter.ToText(table) : CsvExporter.ToText(table);
        return TextOutput.Write(context, text, file, () => $"{table.Rows.Count} job(s), {table.Columns.Count} columns");
    }

    private static ResultTable Build(CliContext context, IReadOnlyList<RunRecord> records, bool items)
    {
        if (items)
        {
            var warnings = new List<string>();
            var table = ItemTables.Items(records, warnings);
            foreach (var w in warnings) context.Error.WriteLine($"warning: {VisibleText.Escape(w)}");
            return table;
        }
        var jobs = ExportTables.Jobs(records, out var notRead);
        NotReadWarnings.Write(context.Error, notRead);
        return jobs;
    }

    private static async Task<int> WriteParquetAsync(CliContext context, ResultTable table, string file, Func<string> written, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is not null && !Directory.Exists(folder))
        {
            context.Error.WriteLine($"error: cannot write {file}: the folder {folder} does not exist");
            return ExitCodes.InvalidInput;
        }
        try
        {
            await ParquetTableFile.WriteAsync(table, file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: cannot write {file}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        context.Error.WriteLine($"{written()} written to {file}");
        return ExitCodes.Success;
    }
}
