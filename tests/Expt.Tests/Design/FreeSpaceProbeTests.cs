using Expt.Design;

namespace Expt.Tests.Design;

/// <summary>
/// Free space where results will go, asked of the file system that holds the path (its nearest existing parent):
/// checked on a real 2 MiB tmpfs mounted inside a temp folder, whose free space is nothing like that of the disk above it.
/// </summary>
public sealed class FreeSpaceProbeTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-free");

    public void Dispose() => _dir.Dispose();

    [TmpfsFact]
    public void Given_a_results_root_not_yet_made_inside_a_small_tmpfs_when_probed_then_the_tmpfs_free_space_is_given()
    {
        // Given
        using var tmpfs = new Tmpfs(_dir.Combine("mnt"), "2m");
        // A folder inside the mount, not the mount point, is the nearest existing parent.
        Directory.CreateDirectory(Path.Combine(tmpfs.Path, "results"));
        var root = Path.Combine(tmpfs.Path, "results", "study");
        var probe = new FreeSpaceProbe();

        // When
        var empty = probe.FreeBytes(root);
        File.WriteAllBytes(Path.Combine(tmpfs.Path, "half"), new byte[1024 * 1024]);
        var half = probe.FreeBytes(root);

        // Then
        empty.ShouldBe(2 * 1024 * 1024);
        half.ShouldBe(1024 * 1024);
        probe.FreeBytes(_dir.Path).ShouldNotBe(empty);
    }

    [TmpfsFact]
    public void Given_a_full_tmpfs_when_probed_then_no_space_is_free()
    {
        // Given
        using var tmpfs = new Tmpfs(_dir.Combine("mnt"), "64k");
        tmpfs.Fill();

        // When
        var free = new FreeSpaceProbe().FreeBytes(Path.Combine(tmpfs.Path, "results"));

        // Then
        free.ShouldBe(0);
    }

    [Fact]
    public void Given_a_path_whose_parents_exist_only_at_the_top_when_probed_then_a_figure_is_given()
    {
        // When
        var free = new FreeSpaceProbe().FreeBytes(_dir.Combine("a", "b", "c"));

        // Then
        free.ShouldNotBeNull();
        free.Value.ShouldBeGreaterThan(0);
    }
}
