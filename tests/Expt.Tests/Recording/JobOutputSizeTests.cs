using System.Runtime.InteropServices;
using Expt.Recording;

namespace Expt.Tests.Recording;

/// <summary>The bytes a job leaves under its directory, as recorded at its end (<see cref="JobStatus.OutputBytes"/>).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class JobOutputSizeTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-size");

    public void Dispose()
    {
        foreach (var locked in new[] { Path.Combine(Job, "locked"), _dir.Combine("locked-job") })
        {
            if (Directory.Exists(locked)) File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _dir.Dispose();
    }

    private string Job => _dir.Combine("job");

    private void Write(string path, int bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
    }

    [Fact]
    public void Given_files_in_nested_folders_and_links_to_a_big_file_and_folder_outside_when_measured_then_only_the_regular_files_inside_count()
    {
        // Given: 1,000 + 2,000 bytes of output, and links to 1 MiB outside (a dataset) that are no output of the job.
        Write(Path.Combine(Job, "model.bin"), 1000);
        Write(Path.Combine(Job, "checkpoints", "step-1", "weights.bin"), 2000);
        Write(_dir.Combine("dataset", "big.bin"), 1 << 20);
        File.CreateSymbolicLink(Path.Combine(Job, "data.bin"), _dir.Combine("dataset", "big.bin"));
        Directory.CreateSymbolicLink(Path.Combine(Job, "dataset"), _dir.Combine("dataset"));
        File.CreateSymbolicLink(Path.Combine(Job, "dangling"), _dir.Combine("nothing-here"));
        Fifo.Make(Path.Combine(Job, "pipe"));

        // When
        var bytes = Fifo.Within(() => JobOutputSize.Measure(Job), Path.Combine(Job, "pipe"));

        // Then
        bytes.ShouldBe(3000);
    }

    [Fact]
    public void Given_a_subfolder_that_cannot_be_listed_when_measured_then_the_rest_counts_and_nothing_throws()
    {
        // Given: a real permission denial (the measure runs as an unprivileged user, even when the tests run as root).
        Write(Path.Combine(Job, "model.bin"), 1000);
        Write(Path.Combine(Job, "locked", "secret.bin"), 4000);
        Write(Path.Combine(Job, "open", "log.txt"), 500);
        File.SetUnixFileMode(Path.Combine(Job, "locked"), UnixFileMode.None);

        // When
        var bytes = Unprivileged.Run(() =>
        {
            Should.Throw<UnauthorizedAccessException>(() => Directory.EnumerateFiles(Path.Combine(Job, "locked")).ToList());
            return JobOutputSize.Measure(Job);
        });

        // Then
        bytes.ShouldBe(1500);
        // Root reads it after all (the same walk, with the thread's identity back).
        if (Environment.IsPrivilegedProcess) JobOutputSize.Measure(Job).ShouldBe(5500);
    }

    [Fact]
    public void Given_a_job_directory_that_cannot_be_listed_or_is_missing_when_measured_then_the_measure_is_null()
    {
        // Given
        var locked = _dir.Combine("locked-job");
        Write(Path.Combine(locked, "model.bin"), 1000);
        File.SetUnixFileMode(locked, UnixFileMode.None);

        // When
        var unreadable = Unprivileged.Run(() => JobOutputSize.Measure(locked));
        var missing = JobOutputSize.Measure(_dir.Combine("nope"));

        // Then
        unreadable.ShouldBeNull();
        missing.ShouldBeNull();
        JobOutputSize.Measure(Directory.CreateDirectory(_dir.Combine("empty")).FullName).ShouldBe(0);
    }

    [Fact]
    public void Given_more_entries_than_the_bound_when_measured_then_the_walk_stops_at_the_bound()
    {
        // Given: 10 files of 100 bytes.
        for (var i = 0; i < 10; i++) Write(Path.Combine(Job, $"f{i}.bin"), 100);

        // When
        var bytes = JobOutputSize.Measure(Job, maxEntries: 4);

        // Then
        bytes.ShouldBe(400);
        JobOutputSize.Measure(Job).ShouldBe(1000);
    }

    [Fact]
    public void Given_other_jobs_directories_nested_in_the_job_when_measured_then_they_are_left_out()
    {
        // Given: a merge job's directory holds its shards' directories.
        Write(Path.Combine(Job, "merged.json"), 100);
        Write(Path.Combine(Job, "shard-0", "part.bin"), 5000);
        Write(Path.Combine(Job, "shard-1", "part.bin"), 5000);
        var shards = new HashSet<string>(StringComparer.Ordinal) { Path.Combine(Job, "shard-0"), Path.Combine(Job, "shard-1") };

        // When
        var bytes = JobOutputSize.Measure(Job, shards);

        // Then
        bytes.ShouldBe(100);
    }

    /// <summary>
    /// Runs code on the calling thread with the file-system identity of <c>nobody</c>: Linux drops the capabilities
    /// that let root read any folder while the thread's fsuid is not 0, and gives them back when it is 0 again.
    /// </summary>
    private static partial class Unprivileged
    {
        private const uint Nobody = 65534;

        public static T Run<T>(Func<T> action)
        {
            var before = SetFsUid(Nobody);
            try
            {
                return action();
            }
            finally
            {
                SetFsUid((uint)before);
            }
        }

        [DllImport("libc", EntryPoint = "setfsuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // a plain import: the test project does not allow the unsafe code LibraryImport generates
        private static extern int SetFsUid(uint fsuid);
#pragma warning restore SYSLIB1054
    }
}
