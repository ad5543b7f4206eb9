using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Expt.Cli;
using Expt.Cli.Commands;
using Expt.Internal;

// The library's namespace: a suite's one `using Expt.Suites;` brings the configs, the matrix and this runner.
#pragma warning disable IDE0130
namespace Expt.Suites;
#pragma warning restore IDE0130

/// <summary>
/// Runs a C# suite as <c>expt run</c> runs a spec: <c>dotnet run suite.cs -- [--dry-run] [-p N] [--resume RUN]
/// [--filter K=V] [--executor slurm] [--results DIR] …</c>. The suite becomes the same plan a YAML spec would
/// (<see cref="SuiteDefinition"/>), runs on the same engine and lands in the same results layout, so <c>expt ls</c>,
/// <c>show</c>, <c>report</c> and <c>design</c> read its runs.
/// </summary>
/// <remarks>
/// It lives in the CLI's assembly, not the library's: the run command's options, its console display and its
/// renderers are the CLI's, and the library never writes to the console. A suite references the CLI project
/// (or the tool's assembly), which brings the library with it.
/// </remarks>
public static class Suite
{
    /// <summary>
    /// Validates every case (all problems together, exit 2, nothing run or written when any is invalid), then plans
    /// and runs them with the options in <paramref name="args"/>; returns <c>expt run</c>'s exit code.
    /// </summary>
    /// <param name="args">The suite's command-line arguments (the options of <c>expt run</c>, without a spec).</param>
    /// <param name="cases">The variants (a list, or a <see cref="Matrix{T}"/>).</param>
    /// <param name="entryPoint">The command each job runs, e.g. <c>dotnet run train.cs --</c> or <c>python train.py</c>; the param flags are appended.</param>
    /// <param name="experimentName">The experiment's name (<c>[a-z0-9][a-z0-9._-]*</c>).</param>
    /// <param name="suiteFile">The suite's source file (filled in by the compiler); jobs start in its directory.</param>
    [RequiresUnreferencedCode(SuiteReflection.Why)]
    [RequiresDynamicCode(SuiteReflection.Why)]
    public static Task<int> RunCliAsync(string[] args, IEnumerable<ExperimentCase> cases, string entryPoint, string experimentName, [CallerFilePath] string suiteFile = "")
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(cases);
        return RunCliAsync(args, new SuiteSource(cases.ToList(), entryPoint, experimentName, SourceFile(suiteFile)), CliContext.FromConsole());
    }

    /// <summary>The suite with a given console (tests).</summary>
    [RequiresUnreferencedCode(SuiteReflection.Why)]
    [RequiresDynamicCode(SuiteReflection.Why)]
    internal static Task<int> RunCliAsync(string[] args, SuiteSource suite, CliContext context)
    {
        var commandLine = string.Join(' ', new[] { "dotnet", "run", Path.GetFileName(suite.SuiteFile), "--" }.Concat(args).Select(Shell.Quote));
        var root = RunCommand.CreateSuite(context, () => SuiteDefinition.Build(suite), commandLine);
        return ExptCli.InvokeAsync(root, args, context);
    }

    /// <summary>
    /// The suite's file: the file-based app's entry point when run with <c>dotnet run suite.cs</c>, else the caller's
    /// source path when it exists here, else suite.cs in the current directory.
    /// </summary>
    private static string SourceFile(string callerFile) =>
        AppContext.GetData("EntryPointFilePath") is string entry && File.Exists(entry) ? entry
        : File.Exists(callerFile) ? callerFile
        : Path.Combine(Environment.CurrentDirectory, "suite.cs");
}
