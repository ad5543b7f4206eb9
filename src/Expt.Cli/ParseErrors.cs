using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Expt.Specs;

namespace Expt.Cli;

/// <summary>
/// The parser's errors as Expt prints them: a mistyped option or command gets the closest one that the command
/// has (<c>--paralel</c> → <c>--parallel</c>), as a misspelt key in a spec does. The parser's own suggestions
/// are printed only by its default error action, which Expt does not use (it prints all errors in its own form).
/// </summary>
internal static partial class ParseErrors
{
    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$")]
    private static partial Regex Unrecognized();

    /// <summary>The error's message, with " (did you mean '…'?)" when the unknown word is close to an option or command of the command it was given to.</summary>
    public static string Describe(ParseError error, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(parse);
        var match = Unrecognized().Match(error.Message);
        if (!match.Success) return error.Message;
        var token = match.Groups["token"].Value;
        var suggestion = token.StartsWith('-') ? ClosestOption(token, parse.CommandResult) : ClosestCommand(token, parse.CommandResult.Command);
        return suggestion is null ? error.Message : $"Unrecognized command or argument '{token}' (did you mean '{suggestion}'?).";
    }

    /// <summary>The long option closest to <paramref name="token"/> among the command's own and its parents' recursive ones (such as --help).</summary>
    private static string? ClosestOption(string token, CommandResult command)
    {
        // Compared without dashes or a value ('--paralel=4'), and never to one-letter aliases: '-x' is close to every '-h'.
        var word = token.Split('=', 2)[0].TrimStart('-');
        if (word.Length < 2) return null;
        var names = new List<string>();
        for (SymbolResult? at = command; at is CommandResult c; at = c.Parent)
        {
            var own = ReferenceEquals(c, command);
            names.AddRange(c.Command.Options.Where(o => own || o.Recursive).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)));
        }
        var closest = DidYouMean.Closest(word, names.Select(n => n[2..]).Distinct());
        return closest is null ? null : "--" + closest;
    }

    private static string? ClosestCommand(string token, Command command) =>
        command.Subcommands.Count == 0 ? null : DidYouMean.Closest(token, command.Subcommands.Select(s => s.Name));
}
