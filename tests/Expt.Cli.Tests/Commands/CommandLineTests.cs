using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>What the parser refuses before any command runs: unknown options where a positional argument goes, and numbers that are not numbers.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-cmdline");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string[]> UnknownOptions => new()
    {
        new[] { "ls", "--jsn" },
        new[] { "ls", "--bogus" },
        new[] { "ls", "-x" },
        new[] { "status", "--bogus" },
        new[] { "watch", "--bogus" },
        new[] { "show", "--bogus" },
        new[] { "cancel", "--bogus" },
        new[] { "archive", "--bogus" },
        new[] { "export", "--bogus" },
        new[] { "report", "--bogus" },
        new[] { "compare", "latest", "--bogus" },
        new[] { "run", "--bogus" },
        new[] { "init", "--bogus" },
    };

    [Theory]
    [MemberData(nameof(UnknownOptions))]
    public async Task Given_an_unknown_option_where_a_positional_argument_goes_when_parsed_then_exit_2_saying_it_is_unrecognized(string[] args)
    {
        // When
        var result = await CliHarness.RunAsync([.. args, "--results", _dir.Combine("results")]);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain($"Unrecognized command or argument '{args[^1]}'");
        result.Error.ShouldNotContain("no run");
        result.Out.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(new[] { "run", "spec.yaml", "--paralel", "3" }, "--paralel", "--parallel")]
    [InlineData(new[] { "run", "--dryrun", "spec.yaml" }, "--dryrun", "--dry-run")]
    [InlineData(new[] { "plan", "spec.yaml", "--jsn" }, "--jsn", "--json")]
    [InlineData(new[] { "plan", "spec.yaml", "--max-variant=5" }, "--max-variant=5", "--max-variants")]
    [InlineData(new[] { "ls", "--lmit", "3" }, "--lmit", "--limit")]
    [InlineData(new[] { "status", "--hlep" }, "--hlep", "--help")]
    [InlineData(new[] { "plna", "spec.yaml" }, "plna", "plan")]
    public async Task Given_a_mistyped_option_or_command_when_parsed_then_exit_2_suggesting_the_closest_one(string[] args, string token, string suggestion)
    {
        // When
        var result = await CliHarness.RunAsync(args);

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain($"error: Unrecognized command or argument '{token}' (did you mean '{suggestion}'?).");
    }

    [Fact]
    public async Task Given_any_long_option_of_any_command_without_its_last_letter_when_parsed_then_that_option_is_suggested()
    {
        // Given every command's own long options (and a word too short or far from any option)
        var root = ExptCli.Build(new CliContext(TextWriter.Null, TextWriter.Null, false, TimeProvider.System));
        var cases = root.Subcommands.SelectMany(c => c.Options.Where(o => !o.Hidden).Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal) && n.Length > 4)
            .Select(n => (Command: c, Option: n))).ToList();
        cases.Count.ShouldBeGreaterThan(40);

        foreach (var (command, option) in cases)
        {
            // When (after the positional arguments the command needs, so that the parser gets as far as the option)
            var positional = Enumerable.Repeat("x", command.Arguments.Sum(a => a.Arity.MinimumNumberOfValues));
            var result = await CliHarness.RunAsync([command.Name, .. positional, option[..^1]]);

            // Then
            result.Error.ShouldContain($"'{option[..^1]}' (did you mean '{option}'?)", customMessage: $"expt {command.Name} {option[..^1]}");
        }
        var far = await CliHarness.RunAsync("run", "--bogus");
        far.Error.ShouldNotContain("did you mean");
    }

    [Theory]
    [InlineData("ls", "--limit", "abc", "--limit 'abc': expected a whole number")]
    [InlineData("ls", "--limit", "1.5", "--limit '1.5': expected a whole number")]
    [InlineData("run", "-p", "abc", "--parallel 'abc': expected a whole number")]
    [InlineData("run", "--parallel", "99999999999", "--parallel '99999999999': expected a whole number")]
    [InlineData("run", "--grace", "x", "--grace 'x': expected a number of seconds")]
    [InlineData("run", "--grace", "nan", "--grace 'nan': expected a number of seconds")]
    [InlineData("run", "--retry-delay", "1e300", "--retry-delay '1e300': expected a number of seconds")]
    public async Task Given_a_number_option_that_is_not_a_number_when_parsed_then_exit_2_with_a_plain_message(string command, string option, string value, string message)
    {
        // When
        var result = await CliHarness.RunAsync(command, option, value, "--results", _dir.Combine("results"));

        // Then
        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain(message);
        result.Error.ShouldNotContain("System.");
    }

    [Fact]
    public async Task Given_a_dash_alone_or_a_negative_limit_when_parsed_then_they_still_reach_the_command()
    {
        // When
        var limit = await CliHarness.RunAsync("ls", "--limit", "-1", "--results", _dir.Combine("results"));

        // Then
        limit.ExitCode.ShouldBe(2);
        limit.Error.ShouldContain("--limit -1: expected 0 or more");
    }
}
