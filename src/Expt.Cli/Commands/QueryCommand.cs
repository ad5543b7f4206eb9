using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Expt.Catalog;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Recording;
using Expt.Tables;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt query "SQL" [--json|--csv] [--items RUN…]</c>: one read-only SELECT over the catalog's <c>runs</c>, <c>jobs</c>,
/// <c>params</c> and <c>metrics</c> (and <c>items</c>, the per-item table of the runs given with <c>--items</c>), with DuckDB.
/// </summary>
internal static class QueryCommand
{
    /// <summary>How long an interrupted query gets to stop inside DuckDB before the process ends without it.</summary>
    private static readonly TimeSpan QueryGrace = TimeSpan.FromSeconds(2);

    public static Command Create(CliContext context)
    {
        var sql = new Argument<string>("sql") { Description = "One SELECT (or WITH … SELECT) over runs, jobs, params, metrics (and items with --items)" };
        var json = new Option<bool>("--json") { Description = "Print the rows as a JSON array of objects" };
        var csv = new Option<bool>("--csv") { Description = "Print the rows as CSV" };
        var items = new Option<string[]>("--items") { Description = "Also offer the per-item table of these runs as 'items'", Arity = ArgumentArity.OneOrMore };
        var results = RunReference.ResultsOption();
        var command = new Command("query", "Read-only SQL (DuckDB) over the results catalog: runs, jobs, params, metrics; group by and joins across experiments");
        command.Add(sql);
        foreach (var option in new Option[] { json, csv, items, results }) command.Add(option);
        command.SetAction(parse =>
        {
            var text = parse.GetValue(sql)!;
            if (parse.GetValue(json) && parse.GetValue(csv))
            {
                context.Error.WriteLine("error: --json and --csv exclude each other");
                return ExitCodes.InvalidInput;
            }
            if (TableQuery.Problem(text) is { } refused)
            {
                context.Error.WriteLine($"error: {refused}");
                return ExitCodes.InvalidInput;
            }
            var root = ResultsRoot.Resolve(parse.GetValue(results));
            // Ctrl-C or a kill interrupts the query inside DuckDB; otherwise a runaway join would ignore both.
            using var stop = new CancellationTokenSource();
            var signal = 0;
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, ExitCodes.Interrupted));
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, ExitCodes.Terminated));
            void Interrupt(PosixSignalContext c, int code)
            {
                c.Cancel = true;
                if (Interlocked.CompareExchange(ref signal, code, 0) != 0) return;
                stop.Cancel();
                // A query reads only and writes nothing but its output: if DuckDB does not stop in time, end the process.
                _ = Task.Delay(QueryGrace).ContinueWith(_ =>
                {
                    context.Error.WriteLine("interrupted: the query was stopped");
                    Environment.Exit(code);
                }, TaskScheduler.Default);
            }
            try
            {
                var tables = Directory.Exists(root)
                    ? CatalogStore.Use(root, (store, _) => CatalogTables.Read(store)).ToList()
                    : [];
                if (parse.GetValue(items) is { Length: > 0 } runs)
                {
                    var records = ReportTargets.ReadRuns(context, runs, null, false, parse.GetValue(results));
                    if (records is null) return ExitCodes.InvalidInput;
                    var warnings = new List<string>();
                    tables.Add(new("items", ItemTables.Items(records, warnings)));
                    foreach (var w in warnings) context.Error.WriteLine($"warning: {VisibleText.Escape(w)}");
                }
                if (tables.Count == 0)
                {
                    context.Error.WriteLine($"error: no results root at {root}, so no catalog to query");
                    return ExitCodes.InvalidInput;
                }
                var result = TableQuery.Run(text, tables, stop.Token);
                if (parse.GetValue(json)) WriteJson(context.Out, result.Table);
                else if (parse.GetValue(csv)) ResultTableText.WriteCsv(result.Table, context.Out);
                else WriteTable(context.Out, result.Table);
                if (result.Truncated) context.Error.WriteLine($"note: only the first {TableQuery.MaxRows.ToString("N0", CultureInfo.InvariantCulture)} rows are shown; add LIMIT or aggregate");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                context.Error.WriteLine("interrupted: the query was stopped");
                return signal;
            }
            catch (ResultTableException e)
            {
                context.Error.WriteLine($"error: {VisibleText.EscapeLines(e.Message)}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static void WriteTable(TextWriter output, ResultTable table)
    {
        var text = new TextTable(table.Columns.Select(c => c.Name).ToArray());
        foreach (var row in table.Rows) text.Add(row.Select(v => v is null ? "" : TableInspection.Text(v) ?? "").ToArray());
        text.WriteTo(output);
        output.WriteLine($"({table.Rows.Count.ToString(CultureInfo.InvariantCulture)} row{(table.Rows.Count == 1 ? "" : "s")})");
    }

    private static void WriteJson(TextWriter output, ResultTable table)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartArray();
            foreach (var row in table.Rows) ResultTableText.WriteObject(writer, table, row);
            writer.WriteEndArray();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
