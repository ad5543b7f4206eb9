using System.CommandLine;
using System.Text;
using Expt.Cli.Scaffolding;
using Expt.Internal;

namespace Expt.Cli.Commands;

/// <summary>
/// <c>expt init [--template python|csharp|shell] [NAME]</c>: a folder with a spec and an entry point that run at once
/// (<c>expt run NAME/experiment.yaml</c>). Never overwrites; <c>--print-helper</c> prints expt_entry.py instead.
/// </summary>
internal static class InitCommand
{
    private const string DefaultName = "my-experiment";

    // A mistyped option ('--templat') is refused, not taken for a folder to create (a folder named '-x' can be written ./-x).
    private static readonly Argument<string> Name = RunReference.RejectingOptions(new Argument<string>("NAME") { Description = "The folder to create; its name, lower-cased, names the experiment", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultName });
    private static readonly Option<string> Template = MakeTemplate();
    private static readonly Option<bool> PrintHelper = new("--print-helper") { Description = $"Print {ProjectTemplates.HelperName} (the Python helper that reads Expt's flags and config.json and writes metrics) and exit" };

    public static Command Create(CliContext context)
    {
        var command = new Command("init", "Create a folder with an experiment spec and an entry point that runs at once");
        command.Add(Name);
        command.Add(Template);
        command.Add(PrintHelper);
        command.SetAction(parse => Execute(context, parse));
        return command;
    }

    private static Option<string> MakeTemplate()
    {
        var option = new Option<string>("--template", "-t") { Description = "The entry point's language: python (with expt_entry.py), csharp (a file-based app) or shell", DefaultValueFactory = _ => ProjectTemplates.Names[0] };
        option.AcceptOnlyFromAmong([.. ProjectTemplates.Names]);
        return option;
    }

    private static int Execute(CliContext context, ParseResult parse)
    {
        if (parse.GetValue(PrintHelper))
        {
            context.Out.Write(ProjectTemplates.Helper);
            return ExitCodes.Success;
        }
        var name = parse.GetValue(Name)!;
        var template = parse.GetValue(Template)!;
        var folder = Path.GetFullPath(name);
        var experiment = ExperimentName(Path.GetFileName(Path.TrimEndingDirectorySeparator(folder)));
        if (experiment is null)
        {
            context.Error.WriteLine($"error: NAME '{name}': its folder name must hold a letter or digit (it names the experiment: [a-z0-9][a-z0-9._-]*)");
            return ExitCodes.InvalidInput;
        }
        var files = ProjectTemplates.For(template, experiment);
        // The folder as typed, so that a message names the paths the user knows.
        if (Scaffolder.Write(name, files) is { } problem)
        {
            context.Error.WriteLine($"error: {problem}");
            return ExitCodes.InvalidInput;
        }
        var shown = Path.TrimEndingDirectorySeparator(name);
        context.Out.WriteLine($"Created {shown}/ for experiment '{experiment}' ({template}): {string.Join(", ", files.Select(f => f.Name))}");
        context.Out.WriteLine($"  {ProjectTemplates.Describe(template)}");
        context.Out.WriteLine();
        context.Out.WriteLine("Next:");
        var spec = Shell.Quote($"{shown}/experiment.yaml");
        context.Out.WriteLine($"  expt run {spec} --dry-run    # the plan; nothing runs");
        context.Out.WriteLine($"  expt run {spec}              # every variant, in parallel");
        context.Out.WriteLine($"  expt report latest");
        return ExitCodes.Success;
    }

    /// <summary>The folder's name as an experiment name: lower-cased, each run of characters other than [a-z0-9._-] as one '-', trimmed of '.', '_' and '-'; null when nothing is left.</summary>
    internal static string? ExperimentName(string folderName)
    {
        var text = new StringBuilder();
        foreach (var c in folderName.ToLowerInvariant())
        {
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '_' or '-';
            if (ok) text.Append(c);
            else if (text.Length == 0 || text[^1] != '-') text.Append('-');
        }
        var name = text.ToString().Trim('.', '_', '-');
        return name.Length == 0 ? null : name;
    }
}
