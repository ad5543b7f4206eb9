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

        public static RootCommand Build(CliContext context)
        {
            var root = new RootCommand("Expt runs machine-learning experiments: typed specs, a plan before anything runs, isolated parallel jobs, resume, and a results store.");
            root.Add(RunCommand.Create(context));
            root.Add(RunCommand.CreatePlan(context));
            root.Add(DesignCommand.Create(context));
            root.Add(StatusCommand.Create(context));
            root.Add(WatchCommand.Create(context));
            root.Add(CancelCommand.Create(context));
            root.Add(LsCommand.Create(context));
            root.Add(ReindexCommand.Create(context));
            root.Add(ShowCommand.Create(context));
            root.Add(CompareCommand.Create(context));
            root.Add(ExportCommand.Create(context));
            root.Add(InspectCommand.Create(context));
            root.Add(QueryCommand.Create(context));
            root.Add(NoteCommand.Create(context));
            root.Add(ReportCommand.Create(context));
            root.Add(ArchiveCommand.Create(context));
            root.Add(CleanCommand.Create(context));
            return root;
        }

        public static async Task<int> RunAsync(string[] args, CliContext context)
        {
            var root = Build(context);
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
