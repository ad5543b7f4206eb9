using Expt.Design;

namespace Expt.Tests.Design;

/// <summary>design.log: the seed's format, appended after earlier designs, never half an entry on a full disk.</summary>
public sealed class DesignLogTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 3, 4, 14, 23, 15, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("expt-dlog");
    private Tmpfs? _disk;

    public void Dispose()
    {
        _disk?.Dispose();
        _dir.Dispose();
    }

    private static DesignLogEntry Entry(string action, string result) =>
        new(At, action, "Checking data/train.json (param dataset)", "ls -lh data/train.json", result, "Verifying the dataset exists");

    [Fact]
    public void Given_entries_when_rendered_then_each_is_a_stamped_action_line_with_command_result_and_explanation_lines_and_a_blank_line()
    {
        // When
        var text = DesignLog.Render([Entry("VERIFY_PATH", "File exists, 655.0 KiB"), Entry("CHECK_DISK", "2.1 GiB available")]);

        // Then
        text.ShouldBe("""
            [2026-03-04 14:23:15] VERIFY_PATH: Checking data/train.json (param dataset)
            Command: ls -lh data/train.json
            Result: File exists, 655.0 KiB
            Explanation: Verifying the dataset exists

            [2026-03-04 14:23:15] CHECK_DISK: Checking data/train.json (param dataset)
            Command: ls -lh data/train.json
            Result: 2.1 GiB available
            Explanation: Verifying the dataset exists


            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_result_of_several_lines_when_rendered_then_the_further_lines_are_indented_and_a_description_stays_on_one_line()
    {
        // Given
        var entry = new DesignLogEntry(At, "CALCULATE_TIME", "two\nlines", "estimate", "s2: 1.0s wall\ns4: 2.0s wall\r\ns8: no history", "why");

        // When
        var lines = DesignLog.Render([entry]).Split('\n');

        // Then
        lines[0].ShouldBe("[2026-03-04 14:23:15] CALCULATE_TIME: two | lines");
        lines[2].ShouldBe("Result: s2: 1.0s wall");
        lines[3].ShouldBe("  s4: 2.0s wall");
        lines[4].ShouldBe("  s8: no history");
        lines[5].ShouldBe("Explanation: why");
    }

    [Fact]
    public void Given_an_earlier_design_log_when_appended_then_its_entries_are_kept_before_the_new_ones()
    {
        // Given
        var path = _dir.Combine("design.log");
        DesignLog.Append(path, [Entry("VERIFY_PATH", "first")]);

        // When
        DesignLog.Append(path, [Entry("VERIFY_PATH", "second")]);

        // Then
        var text = File.ReadAllText(path);
        text.IndexOf("Result: first", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("Result: second", StringComparison.Ordinal));
        text.ShouldStartWith("[2026-03-04 14:23:15] VERIFY_PATH");
        Directory.GetFiles(_dir.Path).ShouldBe([path], "no temp file is left");
    }

    [TmpfsFact]
    public void Given_a_full_disk_when_appended_then_it_throws_and_the_earlier_log_is_left_whole_with_no_temp_file()
    {
        // Given: a log on a 64 KiB tmpfs, then the disk filled
        _disk = new Tmpfs(_dir.Combine("disk"), "64k");
        var path = Path.Combine(_disk.Path, "design.log");
        DesignLog.Append(path, [Entry("VERIFY_PATH", "first")]);
        var before = File.ReadAllText(path);
        _disk.Fill();

        // When
        Should.Throw<IOException>(() => DesignLog.Append(path, [Entry("VERIFY_PATH", new string('x', 8192))]));

        // Then
        File.ReadAllText(path).ShouldBe(before);
        Directory.GetFiles(_disk.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["design.log", "filler"]);
    }
}
