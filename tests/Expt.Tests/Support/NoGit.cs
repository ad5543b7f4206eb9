using Expt.Recording;

namespace Expt.Tests.Support;

/// <summary>Provenance for test runs outside any repository, without spawning git.</summary>
internal sealed class NoGit : IGitProvenance
{
    public static readonly NoGit Instance = new();

    public Task<GitInfo> DescribeAsync(string directory, CancellationToken cancellationToken) => Task.FromResult(GitInfo.None);

    public Task<string> DiffAsync(string directory, CancellationToken cancellationToken) => Task.FromResult("");
}
