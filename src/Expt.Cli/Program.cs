using System.CommandLine;
using Expt.Cli;
using Expt.Cli.Commands;
using Expt.Execution.Backends;

return await ExptCli.RunAsync(args, CliContext.FromConsole()).ConfigureAwait(false);

namespace Expt.Cli
{
    /// <summary>The <c>expt</c> command line.</summary>
    internal static class ExptCli
    {
        /// <summary>The executor backends of the CLI: local, and SLURM when its assembly is installed.</summary>
        public static ExecutorRegistry CreateExecutors()
        {
            var executors = new ExecutorRegistry();
            // The one place that names a backend besides local; a lambda, so Expt.Slurm is loaded only when a run asks for it.
            executors.Register(Slurm.SlurmBackend.BackendName, () => new Slurm.SlurmBackend());
            return executors;
        }

        /// <summary>Every verb and how its command is built, in the order help lists them.</summary>
        private static readonly (string Name, Func<CliContext, Command> Create)[] Verbs =
        [
            ("run", RunCommand.Create), ("plan", RunCommand.CreatePlan), ("design", DesignCommand.Create), ("status", StatusCommand.Create),
            ("watch", WatchCommand.Create), ("cancel", CancelCommand.Create), ("ls", LsCommand.Create), ("reindex", ReindexCommand.Create),
            ("show", ShowCommand.Create), ("compare", CompareCommand.Create), ("export", ExportCommand.Create), ("inspect", InspectCommand.Create),
            ("query", QueryCommand.Create), ("note", NoteCommand.Create), ("report", ReportCommand.Create),
            ("archive", ArchiveCommand.Create), ("clean", CleanCommand.Create), ("init", InitCommand.Create),
        ];

        /// <summary>
        /// The root command with every verb; with <paramref name="verb"/> one of them, with that verb only: parsing
        /// <c>expt status</c> needs no other command's options, and building all of them is start-up time spent for nothing.
        /// An unknown or missing verb gets them all (help lists them, a typo is matched against them).
        /// </summary>
        public static RootCommand Build(CliContext context, string? verb = null)
        {
            var root = new RootCommand("Expt runs machine-learning experiments: typed specs, a plan before anything runs, isolated parallel jobs, resume, and a results store.");
            var known = verb is not null && Verbs.Any(v => v.Name == verb);
            foreach (var (name, create) in Verbs)
            {
                if (!known || name == verb) root.Add(create(context));
            }
            return root;
        }

        public static Task<int> RunAsync(string[] args, CliContext context) => InvokeAsync(Build(context, args.Length > 0 ? args[0] : null), args, context);

        /// <summary>Parses <paramref name="args"/> for <paramref name="root"/> (the <c>expt</c> command, or a C# suite's) and runs it.</summary>
        public static async Task<int> InvokeAsync(Command root, string[] args, CliContext context)
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                // "expt frobnicate" is one mistake: the unknown word, not also a missing command.
                var errors = parse.Errors.Count > 1 ? parse.Errors.Where(e => e.Message != "Required command was not provided.") : parse.Errors;
                foreach (var e in errors) await context.Error.WriteLineAsync($"error: {ParseErrors.Describe(e, parse)}").ConfigureAwait(false);
                await context.Error.WriteLineAsync("Run 'expt --help' for usage.").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            // Expt handles SIGINT/SIGTERM itself (stop jobs, record, exit 130/143); the parser's own handler is off.
            var config = new InvocationConfiguration { Output = context.Out, Error = context.Error, ProcessTerminationTimeout = null };
            return await parse.InvokeAsync(config).ConfigureAwait(false);
        }
    }
}
