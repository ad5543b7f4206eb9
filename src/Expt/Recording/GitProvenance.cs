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
/// and not ignored would otherwise make every run after the first dirty, listing earlier runs' files. Nor are the
/// files of <c>expt design</c> (<see cref="DesignOutputs"/>).
/// </summary>
public sealed class GitCliProvenance(ICommandRunner runner, IReadOnlyList<string>? excluded = null) : IGitProvenance
{
    /// <summary>
    /// The files <c>expt design</c> writes (by default next to the spec, inside the repository): left out of the dirty
    /// check and git.diff wherever they are, so that a run started right after a design is not dirty because of it.
    /// </summary>
    public static readonly IReadOnlyList<string> DesignOutputs = ["experiment_summary.md", "design.log"];

    /// <summary>Uses the real command runner.</summary>
    public GitCliProvenance() : this(CommandRunner.Instance) { }

    /// <summary>Uses the real command runner and leaves <paramref name="excluded"/> directories out.</summary>
    public GitCliProvenance(IReadOnlyList<string> excluded) : this(CommandRunner.Instance, excluded) { }

    /// <summary>
    /// Pathspecs for the whole repository minus the excluded directories inside it. The top is known two ways: as git
    /// resolves it (symbolic links followed) and as the path the user reached it by (<c>--show-cdup</c> from the
    /// directory), so an excluded path given either way is found inside.
    /// </summary>
    private async Task<string[]> PathspecsAsync(string directory, CancellationToken cancellationToken)
    {
        var tops = new List<string>();
        var top = await runner.RunAsync("git", ["rev-parse", "--show-toplevel"], directory, cancellationToken).ConfigureAwait(false);
        if (top.Success) tops.Add(top.Stdout.Trim());
        var up = await runner.RunAsync("git", ["rev-parse", "--show-cdup"], directory, cancellationToken).ConfigureAwait(false);
        if (up.Success) tops.Add(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(directory, up.Stdout.Trim()))));
        var specs = new List<string> { "--", ":(top)" };
        // What expt design writes next to a spec is a plan of the run, not a change to the code it runs.
        foreach (var name in DesignOutputs) specs.Add($":(top,exclude,glob)**/{name}");
        foreach (var dir in excluded ?? [])
        {
            var full = Path.GetFullPath(dir);
            var relative = tops.Select(t => Path.GetRelativePath(t, full))
                .FirstOrDefault(r => r != "." && !r.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(r));
            if (relative is not null) specs.Add($":(top,exclude,literal){relative.Replace(Path.DirectorySeparatorChar, '/')}");
        }
        return [.. specs];
    }

    /// <inheritdoc />
    public async Task<GitInfo> DescribeAsync(string directory, CancellationToken cancellationToken)
    {
        var root = await runner.RunAsync("git", ["rev-parse", "--show-toplevel"], directory, cancellationToken).ConfigureAwait(false);
        if (!root.Success) return GitInfo.None;
        var head = await runner.RunAsync("git", ["rev-parse", "--verify", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var status = await runner.RunAsync("git", ["status", "--porcelain", "--untracked-files=normal", .. await PathspecsAsync(directory, cancellationToken).ConfigureAwait(false)], directory, cancellationToken).ConfigureAwait(false);
        var branch = await runner.RunAsync("git", ["symbolic-ref", "--short", "-q", "HEAD"], directory, cancellationToken).ConfigureAwait(false);
        var commit = head.Success ? head.Stdout.Trim() : "nogit";
        return new GitInfo(commit, status.Success && status.Stdout.Trim().Length > 0, branch.Success ? branch.Stdout.Trim() : null, root.Stdout.Trim());
    }

    /// <inheritdoc />
    public async Task<string> DiffAsync(string directory, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var paths = await PathspecsAsync(directory, cancellationToken).ConfigureAwait(false);
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
