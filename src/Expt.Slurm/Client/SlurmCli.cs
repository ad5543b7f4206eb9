using Expt.Internal;

namespace Expt.Slurm.Client;

/// <summary><see cref="ISlurmClient"/> over the real SLURM command-line tools.</summary>
public sealed class SlurmCli(ICommandRunner runner) : ISlurmClient
{
    /// <summary>
    /// squeue's fields: array-task id, state, reason, raw job id, restart count, node list. The long form
    /// (<c>-O</c>) because only it has the restart count; an empty size with a <c>|</c> suffix means no padding.
    /// </summary>
    internal const string QueueFormat = "JobArrayID:|,State:|,Reason:|,JobID:|,RestartCnt:|,NodeList:|";

    /// <summary>Uses the real command runner.</summary>
    public SlurmCli() : this(CommandRunner.Instance) { }

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(string scriptPath, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync("sbatch", ["--parsable", scriptPath], Path.GetDirectoryName(scriptPath), cancellationToken).ConfigureAwait(false);
        // --parsable prints "ID" or "ID;CLUSTER"; anything else is not an id we may attribute to a job.
        var id = result.Stdout.Trim().Split(';')[0];
        if (result.Success && id.Length > 0 && id.All(char.IsAsciiDigit)) return new SubmitResult(id, null);
        return new SubmitResult(null, Describe(result, "sbatch"));
    }

    /// <inheritdoc />
    public async Task<QueueSnapshot> QueueAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0) return QueueSnapshot.Empty;
        var result = await runner.RunAsync("squeue", ["-h", "-t", "all", "-r", "-j", string.Join(',', jobIds), "-O", QueueFormat], null, cancellationToken).ConfigureAwait(false);
        return QueueParser.Parse(result);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> ScriptsAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var result = await runner.RunAsync("squeue", ["-h", "-t", "all", "--me", "-O", "ArrayJobID:|,Command:|"], null, cancellationToken).ConfigureAwait(false);
        return result.Success ? QueueParser.ParseScripts(result.Stdout, folder) : null;
    }

    /// <inheritdoc />
    public async Task<SlurmCallResult> CancelAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        if (jobIds.Count == 0) return new SlurmCallResult(true, null);
        var result = await runner.RunAsync("scancel", [.. jobIds], null, cancellationToken).ConfigureAwait(false);
        return new SlurmCallResult(result.Success, result.Success ? null : Describe(result, "scancel"));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>?> ShowAsync(string entity, string? id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        string[] args = id is null ? ["-o", "show", entity] : ["-o", "show", entity, id];
        var result = await runner.RunAsync("scontrol", args, null, cancellationToken).ConfigureAwait(false);
        return result.Success ? QueueParser.ParseKeyValues(result.Stdout) : null;
    }

    private static string Describe(CommandResult result, string tool)
    {
        var text = (result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout).Trim();
        return text.Length > 0 ? text : $"{tool} exited {result.ExitCode}";
    }
}
