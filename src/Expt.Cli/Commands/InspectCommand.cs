using System.CommandLine;
using Expt.Cli.Rendering;
using Expt.Internal;
using Expt.Tables;

namespace Expt.Cli.Commands;

/// <summary><c>expt inspect FILE… [--by COLUMN] [--json]</c>: what a results table holds, several side by side.</summary>
internal static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var files = RunReference.RejectingOptions(new Argument<string[]>("files")
        {
            Description = "Results tables: .parquet, .csv or .jsonl (from expt export or any other tool)",
            Arity = ArgumentArity.OneOrMore,
        });
        var by = new Option<string?>("--by") { Description = "Also give the rates and means per value of this column (e.g. split)" };
        var json = new Option<bool>("--json") { Description = "Print the inspection as JSON" };
        var command = new Command("inspect", "Inspect results tables: metadata, rows, each column's type, nulls and summary, rates of boolean and 0/1 columns and means overall and --by a column");
        command.Add(files);
        command.Add(by);
        command.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var inspections = new List<TableInspection>();
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var table = await ResultTableFiles.ReadAsync(file, cancellationToken).ConfigureAwait(false);
                    inspections.Add(TableInspection.Of(file, table, parse.GetValue(by)));
                }
                catch (ResultTableException e)
                {
                    context.Error.WriteLine($"error: {VisibleText.Escape(e.Message)}");
                    return ExitCodes.InvalidInput;
                }
            }
            if (parse.GetValue(json)) InspectRenderer.WriteJson(context.Out, inspections);
            else InspectRenderer.Write(context.Out, inspections);
            return ExitCodes.Success;
        });
        return command;
    }
}
