using System.Diagnostics;
using System.Text.Json.Nodes;
using Expt.Design;
using Expt.Planning;

namespace Expt.Tests.Design;

/// <summary>
/// Every value of every <c>path</c> param, as found on disk before anything runs: files, folders (size and files,
/// bounded walks, links inside never followed), links resolved, FIFOs never opened, missing paths as problems.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PathResourceTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-paths");

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<ResourceCheck> Verify(Plan plan, WalkLimits? limits = null) =>
        ResourceVerifier.Verify(plan, limits ?? WalkLimits.Default, Environment.GetEnvironmentVariable("PATH")).Where(c => c.Kind == ResourceKind.Path).ToList();

    private Plan PlanWith(string paramsBlock, string extra = "") =>
        DesignPlans.Plan(_dir, $"experiment: study\nparams:\n{paramsBlock}{extra}run: \"true\"\n");

    private ResourceCheck Single(string value)
    {
        var plan = PlanWith($"  data: {{ type: path, default: '{value}' }}\n");
        return Verify(plan).ShouldHaveSingleItem();
    }

    private string Bytes(string relative, int count) => _dir.File(relative, new string('x', count));

    [Fact]
    public void Given_a_file_when_verified_then_it_exists_as_a_file_with_its_size()
    {
        // Given
        var full = Bytes("data/train.csv", 1234);

        // When
        var check = Single("data/train.csv");

        // Then
        check.ShouldBe(new ResourceCheck(ResourceKind.Path, "data/train.csv", full, true, 1234, null, false, null, "param data", null));
        check.Note.ShouldBeNull();
    }

    [Fact]
    public void Given_a_folder_with_nested_files_when_verified_then_its_size_is_the_sum_of_its_files_and_they_are_counted()
    {
        // Given
        Bytes("ds/a.bin", 100);
        Bytes("ds/sub/b.bin", 20);
        Bytes("ds/sub/deeper/c.bin", 3);
        Directory.CreateDirectory(_dir.Combine("ds", "empty"));

        // When
        var check = Single("ds");

        // Then
        check.Exists.ShouldBeTrue();
        check.IsDirectory.ShouldBeTrue();
        check.Bytes.ShouldBe(123);
        check.Files.ShouldBe(3);
        check.SizeIsLowerBound.ShouldBeFalse();
        check.Problem.ShouldBeNull();
    }

    [Fact]
    public void Given_a_folder_holding_links_to_a_big_file_and_to_the_root_when_verified_then_the_links_are_neither_followed_nor_counted()
    {
        // Given
        Bytes("ds/a.bin", 10);
        var big = Bytes("elsewhere/big.bin", 50_000);
        File.CreateSymbolicLink(_dir.Combine("ds", "big.bin"), big);
        Directory.CreateSymbolicLink(_dir.Combine("ds", "root"), "/");

        // When
        var check = Single("ds");

        // Then
        check.Bytes.ShouldBe(10);
        check.Files.ShouldBe(1);
        check.SizeIsLowerBound.ShouldBeFalse();
    }

    [Fact]
    public void Given_a_path_that_is_itself_a_link_to_a_folder_when_verified_then_its_target_is_resolved_and_measured()
    {
        // Given
        Bytes("store/datasets/v2/a.bin", 7);
        Directory.CreateSymbolicLink(_dir.Combine("data"), "store/datasets/v2");

        // When
        var check = Single("data");

        // Then
        check.ResolvedPath.ShouldBe(_dir.Combine("store", "datasets", "v2"));
        check.IsDirectory.ShouldBeTrue();
        check.Bytes.ShouldBe(7);
        check.Files.ShouldBe(1);
    }

    [Fact]
    public void Given_a_link_whose_target_is_gone_when_verified_then_it_is_missing_and_a_problem_naming_the_target()
    {
        // Given
        File.CreateSymbolicLink(_dir.Combine("data.csv"), _dir.Combine("gone.csv"));

        // When
        var check = Single("data.csv");

        // Then
        check.Exists.ShouldBeFalse();
        check.Problem.ShouldBe($"path 'data.csv' does not exist (a symbolic link to {_dir.Combine("gone.csv")}, which does not exist); resolved to {_dir.Combine("data.csv")}; a job that reads it will fail");
    }

    [Fact]
    public void Given_a_link_loop_when_verified_then_it_is_a_problem_and_not_a_hang()
    {
        // Given
        File.CreateSymbolicLink(_dir.Combine("a"), "b");
        File.CreateSymbolicLink(_dir.Combine("b"), "a");

        // When
        var check = Single("a");

        // Then
        check.Exists.ShouldBeFalse();
        check.Problem.ShouldStartWith("path 'a' is a symbolic link that cannot be resolved (");
    }

    [Theory]
    [InlineData(true, "'must_exist' is set, so expt run would refuse the plan")]
    [InlineData(false, "a job that reads it will fail")]
    public void Given_a_missing_path_with_or_without_must_exist_when_verified_then_it_is_a_problem_saying_which(bool mustExist, string expected)
    {
        // Given
        var plan = PlanWith($"  data: {{ type: path, default: data/missing.csv, must_exist: {(mustExist ? "true" : "false")} }}\n");

        // When
        var check = Verify(plan).ShouldHaveSingleItem();

        // Then
        check.Exists.ShouldBeFalse();
        check.ResolvedPath.ShouldBe(_dir.Combine("data", "missing.csv"));
        check.Problem.ShouldBe($"path 'data/missing.csv' does not exist; resolved to {_dir.Combine("data", "missing.csv")}; {expected}");
    }

    [Fact]
    public void Given_a_fifo_as_a_path_value_and_inside_a_folder_when_verified_then_it_is_listed_without_being_opened()
    {
        // Given
        var fifo = Fifo.Make(_dir.Combine("pipe"));
        var inner = Fifo.Make(_dir.Combine("ds", "pipe"));
        Bytes("ds/a.bin", 5);
        var plan = PlanWith("  stream: { type: path, default: pipe }\n  ds: { type: path, default: ds }\n");

        // When
        var checks = Fifo.Within(() => Verify(plan), fifo, inner);

        // Then
        var stream = checks.Single(c => c.Path == "pipe");
        stream.Exists.ShouldBeTrue();
        stream.IsDirectory.ShouldBeFalse();
        stream.Problem.ShouldBeNull();
        stream.Note.ShouldBe("not a regular file (a FIFO, device or socket); not opened");
        checks.Single(c => c.Path == "ds").Bytes.ShouldBe(5);
    }

    [Fact]
    public void Given_a_folder_with_an_unreadable_subfolder_when_verified_then_the_rest_is_measured_and_said_to_be_a_lower_bound()
    {
        // Given
        Bytes("ds/a.bin", 10);
        Bytes("ds/locked/b.bin", 1000);
        File.SetUnixFileMode(_dir.Combine("ds", "locked"), UnixFileMode.None);
        var plan = PlanWith("  ds: { type: path, default: ds }\n");

        // When (as an ordinary user: root reads every folder)
        var check = Unprivileged.Run(() => Verify(plan)).ShouldHaveSingleItem();

        // Then
        File.SetUnixFileMode(_dir.Combine("ds", "locked"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        check.Bytes.ShouldBe(10);
        check.Files.ShouldBe(1);
        check.SizeIsLowerBound.ShouldBeTrue();
        check.Note.ShouldBe("size and files are at least these: 1 folder inside could not be read");
    }

    [Fact]
    public void Given_a_folder_larger_than_the_walk_allows_when_verified_then_the_walk_stops_and_says_at_least()
    {
        // Given
        for (var i = 0; i < 10; i++) Bytes($"ds/f{i}.bin", 1);
        var plan = PlanWith("  ds: { type: path, default: ds }\n");

        // When
        var check = Verify(plan, WalkLimits.Default with { EntriesPerFolder = 4 }).ShouldHaveSingleItem();

        // Then
        check.Files.ShouldBe(4);
        check.Bytes.ShouldBe(4);
        check.SizeIsLowerBound.ShouldBeTrue();
        check.Note.ShouldBe("size and files are at least these: the walk stopped after 4 entries");
    }

    [Fact]
    public void Given_the_time_for_walks_spent_when_verified_then_folders_are_listed_without_a_size()
    {
        // Given
        Bytes("ds/a.bin", 1);
        var plan = PlanWith("  ds: { type: path, default: ds }\n");

        // When
        var check = Verify(plan, WalkLimits.Default with { TotalTime = TimeSpan.Zero }).ShouldHaveSingleItem();

        // Then
        check.Exists.ShouldBeTrue();
        check.Bytes.ShouldBeNull();
        check.Note.ShouldBe("size not measured: the time and entries allowed for measuring folders ran out");
    }

    [Fact]
    public void Given_a_matrix_over_paths_and_a_shared_path_when_verified_then_each_distinct_path_is_listed_once_with_the_variants_using_it()
    {
        // Given
        Bytes("shared.csv", 3);
        var plan = PlanWith(
            "  data: { type: path, default: shared.csv }\n  model: { type: path, default: ma }\n  extra: { type: 'list<path>', default: [shared.csv] }\n",
            "matrix:\n  model: [ma, mb, mc, md, me]\n");

        // When
        var checks = Verify(plan);

        // Then
        checks.Select(c => c.Path).ShouldBe(["shared.csv", "ma", "mb", "mc", "md", "me"]);
        checks[0].UsedBy.ShouldBe("params data, extra (all 5 variants)");
        checks[1].UsedBy.ShouldStartWith("param model (variant ");
    }

    [Fact]
    public void Given_a_hundred_thousand_variants_each_with_its_own_path_when_verified_then_ten_thousand_are_checked_quickly_and_the_rest_counted()
    {
        // Given a plan whose variants each name a path of their own
        var small = PlanWith("  data: { type: path, default: d0 }\n  lr: { type: float, default: 0.1 }\n");
        var variants = Enumerable.Range(0, 100_000)
            .Select(i => new Variant($"v{i}", "default", [new("data", JsonValue.Create($"d{i}")), new("lr", JsonValue.Create(0.1))], ["data"]))
            .ToList();
        var plan = small with { Variants = variants };

        // When
        var clock = Stopwatch.StartNew();
        var checks = Verify(plan);
        clock.Stop();

        // Then
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        checks.Count.ShouldBe(10_001);
        checks[0].UsedBy.ShouldBe("param data (variant v0)");
        var rest = checks[^1];
        rest.Checked.ShouldBeFalse();
        rest.Path.ShouldBe("90,000 more paths");
        rest.Note.ShouldBe("not checked: only the first 10,000 distinct paths are");
    }
}
