using System.CommandLine;
using Expt.Internal;
using Expt.Recording;

namespace Expt.Cli.Commands;

/// <summary><c>expt note RUN "text"</c>: appends a timestamped note to a run's manifest (shown by show, kept in the catalog and exports).</summary>
internal static class NoteCommand
{
    public static Command Create(CliContext context)
    {
        var run = RunReference.Argument();
        var text = new Argument<string>("text") { Description = "The note (quote it)" };
        var results = RunReference.ResultsOption();
        var command = new Command("note", "Add a note to a run after the fact: appended with a timestamp, shown by 'expt show' and written into exports");
        command.Add(run);
        command.Add(text);
        command.Add(results);
        command.SetAction(parse =>
        {
            var dir = RunReference.Locate(context, parse.GetValue(run)!, parse.GetValue(results));
            if (dir is null) return ExitCodes.InvalidInput;
            var problem = RunNotes.Add(dir, parse.GetValue(text)!, context.Time.GetUtcNow());
            if (problem is not null)
            {
                context.Error.WriteLine($"error: {VisibleText.Escape(problem)}");
                return ExitCodes.InvalidInput;
            }
            context.Error.WriteLine($"note added to {dir}");
            return ExitCodes.Success;
        });
        return command;
    }
}
