using System.Diagnostics;
using System.Text;

namespace Expt.Internal;

/// <summary>The result of a short helper command (git, squeue, …).</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the command exited 0.</summary>
    public bool Success => ExitCode == 0;
}

/// <summary>Runs short helper commands whose output is small, capturing it.</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken cancellationToken);
}

/// <summary>The real <see cref="ICommandRunner"/>.</summary>
public sealed class CommandRunner : ICommandRunner
{
    /// <summary>The shared instance.</summary>
    public static readonly CommandRunner Instance = new();

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, string? workingDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(127, "", $"{file}: {e.Message}");
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
            throw;
        }
        return new CommandResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }
}
