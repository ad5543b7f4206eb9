using Expt.Cli.Scaffolding;
using Expt.Cli.Tests.Commands;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Templates;

/// <summary>expt_entry.py, the Python helper shipped in the tool: its own unit tests, and the copy the tool carries.</summary>
public sealed class ExptEntryTests
{
    private static string TemplatesDir => Path.Combine(DryRunTests.RepoRoot(), "src", "Expt.Cli", "Templates");

    [Fact]
    public async Task Given_the_helpers_python_unit_tests_when_run_then_every_one_passes()
    {
        // Given
        var tests = Path.Combine(DryRunTests.RepoRoot(), "tests", "Expt.Cli.Tests", "Templates");

        // When
        var (code, stdout, stderr) = await Python.RunAsync(tests, new Dictionary<string, string> { ["EXPT_ENTRY_DIR"] = TemplatesDir },
            "-m", "unittest", "discover", "-s", tests, "-p", "test_*.py", "-v");

        // Then
        code.ShouldBe(0, stdout + stderr);
        stderr.ShouldContain("OK");
        stderr.ShouldNotContain("skipped");
        stderr.ShouldMatch(@"Ran [1-9][0-9]+ tests");
    }

    [Fact]
    public async Task Given_print_helper_when_run_then_it_prints_the_repositorys_expt_entry_py_byte_for_byte()
    {
        // When
        var result = await CliHarness.RunAsync("init", "--print-helper");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        result.Out.ShouldBe(File.ReadAllText(Path.Combine(TemplatesDir, ProjectTemplates.HelperName)));
    }
}
