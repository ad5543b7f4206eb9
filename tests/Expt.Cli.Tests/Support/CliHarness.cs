namespace Expt.Cli.Tests.Support;

/// <summary>The result of running the CLI in-process.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error);

/// <summary>Runs <c>expt</c> in-process with captured output.</summary>
public static class CliHarness
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ExptCli.RunAsync(args, new CliContext(stdout, stderr, false, TimeProvider.System));
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}
