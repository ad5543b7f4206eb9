using Expt.Design;
using Expt.Execution.Backends;
using Expt.Execution.Preparation;

namespace Expt.Cli;

/// <summary>
/// Where a command writes, whether a person is watching (live display) or not (plain lines), and the executor
/// backends the commands know.
/// </summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="Interactive">True when stdout is a terminal.</param>
/// <param name="Time">The clock.</param>
internal sealed record CliContext(TextWriter Out, TextWriter Error, bool Interactive, TimeProvider Time)
{
    /// <summary>The executor backends of this CLI, built at start-up (<see cref="ExptCli.CreateExecutors"/>).</summary>
    public ExecutorRegistry Executors { get; init; } = ExptCli.CreateExecutors();

    /// <summary>
    /// Makes the design of a run about to start (its live summary and header estimate); null uses
    /// <see cref="Designer.ForRunAsync"/>. Tests give a design of their own making.
    /// </summary>
    public Func<PreparedRun, CancellationToken, Task<ExperimentDesign?>>? DesignForRun { get; init; }

    /// <summary>What <c>expt design</c> asks of the machine (free disk, GPUs); null for this machine's (a test gives its own).</summary>
    public DesignServices? Design { get; init; }

    /// <summary>The real console.</summary>
    public static CliContext FromConsole() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && Environment.GetEnvironmentVariable("TERM") is not (null or "dumb"), TimeProvider.System);
}

/// <summary>Exit codes of every command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int PartialFailure = 1;
    public const int InvalidInput = 2;
    public const int Interrupted = 130;
    public const int Terminated = 143;
}
