using Expt.Planning;

namespace Expt.Design;

/// <summary>
/// Everything a plan needs from the file system, looked at before anything runs: the value of every <c>path</c> param
/// over all variants (exists, file or folder, size, files) and the program and script each stage's <c>run</c> starts
/// (exists, executable). Nothing is opened or written, and the work is bounded however large the plan: each distinct
/// path is looked at once, at most <see cref="PathResources.MaxDistinctPaths"/> of them, and folder walks stop after
/// <see cref="WalkLimits.Default"/>.
/// </summary>
/// <remarks>
/// A missing path is a problem whether or not its param has <c>must_exist</c> (a job given a path that is not there
/// almost always fails; <c>must_exist</c> only decides whether <c>expt run</c> refuses it). A missing program or
/// script is a problem, except in a stage with <c>needs</c>, where an earlier stage may create it (a note then).
/// Cell values are not typed, so they are not checked as paths.
/// </remarks>
public static class ResourceVerifier
{
    /// <summary>The paths, then the programs and scripts, then the commands not read, of <paramref name="plan"/>.</summary>
    public static IReadOnlyList<ResourceCheck> Verify(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Verify(plan, WalkLimits.Default, Environment.GetEnvironmentVariable("PATH"));
    }

    /// <summary>As <see cref="Verify(Plan)"/>, with the walk's limits and the jobs' PATH given.</summary>
    internal static IReadOnlyList<ResourceCheck> Verify(Plan plan, WalkLimits limits, string? searchPath) =>
        [.. PathResources.Verify(plan, limits), .. CommandResources.Verify(plan, searchPath)];
}
