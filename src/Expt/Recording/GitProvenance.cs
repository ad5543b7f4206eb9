using System.Text;
using Expt.Internal;

namespace Expt.Recording;

/// <summary>Reads git provenance of a directory.</summary>
public interface IGitProvenance
{
    /// <summary>Commit, branch and dirty flag of the repository holding <paramref name="directory"/> (<see cref="GitInfo.None"/> outside one).</summary>
    Task<GitInfo> DescribeAsync(string directory, CancellationToken cancellationToken);

    /// <summary>The uncommitted changes: staged and unstaged diffs against HEAD, then the names of untracked files.</summary>
    Task<string> DiffAsync(string directory, CancellationToken cancellationToken);
}

/// <summary><see cref="IGitProvenance"/> through the <c>git</c> command line.</summary>
public sealed class GitCliProvenance(ICommandRunner runner) : IGitProvenance
{
    /// <summary>Uses the real command runner.</summary>
    public GitCliProvenance() : this(CommandRunner.Instance) { }

    /// <inheritdoc />
    public async Task<GitInfo> DescribeAsync(string directory, CancellationToken cancellationToken)
    {
        var root = await runner.RunAsync("git", ["rev-parse", "--show-toplevel"], directory, cancellationToken).ConfigureAwait(false);
        if (!root.Success) return GitInfo.None;
        var head = await runner.RunAsync("git", ["rev-parse", "--verify", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var status = await runner.RunAsync("git", ["status", "--porcelain", "--untracked-files=normal"], directory, cancellationToken).ConfigureAwait(false);
        var branch = await runner.RunAsync("git", ["symbolic-ref", "--short", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var commit = head.Success ? head.Stdout.Trim() : "nogit";
        return new GitInfo(commit, status.Success && status.Stdout.Trim().Length > 0, branch.Success ? branch.Stdout.Trim() : null, root.Stdout.Trim());
    }

    /// <inheritdoc />
    public async Task<string> DiffAsync(string directory, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var hasHead = (await runner.RunAsync("git", ["rev-parse", "--verify", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false)).Success;
        var diff = hasHead
            ? await runner.RunAsync("git", ["diff", "HEAD", "--binary"], directory, cancellationToken).ConfigureAwait(false)
            : await runner.RunAsync("git", ["diff", "--cached", "--binary"], directory, cancellationToken).ConfigureAwait(false);
        sb.Append(diff.Stdout);
        var untracked = await runner.RunAsync("git", ["ls-files", "--others", "--exclude-standard", "--full-name"], directory, cancellationToken).ConfigureAwait(false);
        var files = untracked.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (files.Length > 0)
        {
            sb.Append("# Untracked files (not included above):\n");
            foreach (var f in files) sb.Append("#   ").Append(f).Append('\n');
        }
        return sb.ToString();
    }
}
