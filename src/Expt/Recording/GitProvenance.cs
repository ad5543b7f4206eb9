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

/// <summary>
/// <see cref="IGitProvenance"/> through the <c>git</c> command line. Directories given as <paramref name="excluded"/>
/// (the results root) are not part of what makes a tree dirty nor of git.diff: a results root inside the repository
/// and not ignored would otherwise make every run after the first dirty, listing earlier runs' files.
/// </summary>
public sealed class GitCliProvenance(ICommandRunner runner, IReadOnlyList<string>? excluded = null) : IGitProvenance
{
    /// <summary>Uses the real command runner.</summary>
    public GitCliProvenance() : this(CommandRunner.Instance) { }

    /// <summary>Uses the real command runner and leaves <paramref name="excluded"/> directories out.</summary>
    public GitCliProvenance(IReadOnlyList<string> excluded) : this(CommandRunner.Instance, excluded) { }

    /// <summary>Pathspecs for the whole repository minus the excluded directories inside it.</summary>
    private string[] Pathspecs(string top)
    {
        var specs = new List<string> { "--", ":(top)" };
        foreach (var dir in excluded ?? [])
        {
            var relative = Path.GetRelativePath(top, Path.GetFullPath(dir));
            if (relative == "." || relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) continue;
            specs.Add($":(top,exclude){relative.Replace(Path.DirectorySeparatorChar, '/')}");
        }
        return [.. specs];
    }

    private async Task<string> TopAsync(string directory, CancellationToken cancellationToken)
    {
        var root = await runner.RunAsync("git", ["rev-parse", "--show-toplevel"], directory, cancellationToken).ConfigureAwait(false);
        return root.Success ? root.Stdout.Trim() : directory;
    }

    /// <inheritdoc />
    public async Task<GitInfo> DescribeAsync(string directory, CancellationToken cancellationToken)
    {
        var root = await runner.RunAsync("git", ["rev-parse", "--show-toplevel"], directory, cancellationToken).ConfigureAwait(false);
        if (!root.Success) return GitInfo.None;
        var head = await runner.RunAsync("git", ["rev-parse", "--verify", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var status = await runner.RunAsync("git", ["status", "--porcelain", "--untracked-files=normal", .. Pathspecs(root.Stdout.Trim())], directory, cancellationToken).ConfigureAwait(false);
        var branch = await runner.RunAsync("git", ["symbolic-ref", "--short", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var commit = head.Success ? head.Stdout.Trim() : "nogit";
        return new GitInfo(commit, status.Success && status.Stdout.Trim().Length > 0, branch.Success ? branch.Stdout.Trim() : null, root.Stdout.Trim());
    }

    /// <inheritdoc />
    public async Task<string> DiffAsync(string directory, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var paths = Pathspecs(await TopAsync(directory, cancellationToken).ConfigureAwait(false));
        var hasHead = (await runner.RunAsync("git", ["rev-parse", "--verify", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false)).Success;
        var diff = hasHead
            ? await runner.RunAsync("git", ["diff", "HEAD", "--binary", .. paths], directory, cancellationToken).ConfigureAwait(false)
            : await runner.RunAsync("git", ["diff", "--cached", "--binary", .. paths], directory, cancellationToken).ConfigureAwait(false);
        sb.Append(diff.Stdout);
        var untracked = await runner.RunAsync("git", ["ls-files", "--others", "--exclude-standard", "--full-name", .. paths], directory, cancellationToken).ConfigureAwait(false);
        var files = untracked.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (files.Length > 0)
        {
            sb.Append("# Untracked files (not included above):\n");
            foreach (var f in files) sb.Append("#   ").Append(f).Append('\n');
        }
        return sb.ToString();
    }
}
