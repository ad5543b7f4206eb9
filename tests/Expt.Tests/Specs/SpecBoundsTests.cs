using System.Text;
using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Specs;

/// <summary>A spec is refused, with its location, before it can exhaust memory or the stack: file size, aliases, nesting.</summary>
public sealed class SpecBoundsTests : IDisposable
{
    private readonly TempDirectory _dir = new("expt-bounds");

    public void Dispose() => _dir.Dispose();

    // Generous for the refusal itself (milliseconds); without the bounds these loads run for minutes or until memory is gone.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>An executor block whose sbatch list holds <paramref name="levels"/> levels of <paramref name="width"/> aliases each (the executor block is expanded into plain values).</summary>
    private static string Laughs(int levels, int width, int leaves)
    {
        var yaml = new StringBuilder("experiment: lol\nrun: \"true\"\nexecutor:\n  sbatch:\n");
        yaml.Append("    - &a0 [").Append(string.Join(", ", Enumerable.Repeat("lol", leaves))).Append("]\n");
        for (var i = 1; i < levels; i++)
        {
            yaml.Append($"    - &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", width))).Append("]\n");
        }
        return yaml.ToString();
    }

    [Fact]
    public async Task Given_a_billion_laughs_of_ten_levels_of_ten_aliases_when_loaded_then_it_is_refused_at_once_at_the_alias_that_passes_the_bound()
    {
        // Given
        var yaml = Laughs(levels: 10, width: 10, leaves: 10);

        // When
        var result = await Task.Run(() => SpecText.Load(_dir, yaml)).WaitAsync(Bound);

        // Then: levels 0 to 4 hold about 134,000 nodes; the eighth alias of level 5 (line 10) passes a million
        result.IsSuccess.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Location.Line.ShouldBe(10);
        error.Message.ShouldContain("at alias '*a4' (which stands for 111,111 nodes)");
        error.Message.ShouldContain("more than 1,000,000 YAML nodes");
    }

    [Fact]
    public void Given_aliases_that_expand_just_past_the_bound_when_loaded_then_it_is_refused_with_the_alias_location()
    {
        // Given 20 leaves and five levels of ten: over two million nodes once expanded, from a file of 1 KB
        var yaml = Laughs(levels: 6, width: 10, leaves: 20);

        // When
        var result = SpecText.Load(_dir, yaml);

        // Then
        result.IsSuccess.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldStartWith($"{Path.Combine(_dir.Path, "experiment.yaml")}:10:");
        error.Message.ShouldContain("aliases expand to more than 1,000,000 YAML nodes");
    }

    [Fact]
    public void Given_aliases_used_as_real_specs_use_them_when_loaded_then_the_spec_is_valid()
    {
        // Given a shared declaration and shared levels
        var definition = SpecText.Definition(_dir, """
            experiment: shared
            params:
              a: &int { type: int, default: 1 }
              b: *int
            matrix:
              a: &levels [1, 2, 3]
              b: *levels
            run: "true"
            """);

        // Then
        definition.Matrix.Select(f => f.Levels.Count).ShouldBe([3, 3]);
    }

    [Fact]
    public void Given_an_alias_inside_the_node_it_names_when_loaded_then_it_is_refused_instead_of_looping()
    {
        // Given
        var yaml = "experiment: loop\nrun: \"true\"\nexecutor:\n  sbatch: &a [x, *a]\n";

        // When
        var result = SpecText.Load(_dir, yaml);

        // Then
        var error = result.Errors.ShouldHaveSingleItem();
        error.Location.Line.ShouldBe(4);
        error.Location.Column.ShouldBe(18);
        error.Message.ShouldContain("alias '*a' refers to a list or mapping that contains it");
    }

    [Theory]
    [InlineData(65)]
    [InlineData(200_000)]
    public async Task Given_lists_nested_deeper_than_the_bound_when_loaded_then_it_is_refused_where_the_bound_is_passed(int depth)
    {
        // Given (200,000 levels overflow the stack of a recursive tree builder: the test host itself would die)
        var yaml = "experiment: deep\nrun: \"true\"\nexecutor:\n  sbatch: " + new string('[', depth) + new string(']', depth) + "\n";

        // When
        var result = await Task.Run(() => SpecText.Load(_dir, yaml)).WaitAsync(Bound);

        // Then: the executor mapping is level 2, so the list opened at level 65 is the 63rd '['
        var error = result.Errors.ShouldHaveSingleItem();
        (error.Location.Line, error.Location.Column).ShouldBe((4, 11 + 62));
        error.Message.ShouldContain("nested more than 64 levels deep");
    }

    [Fact]
    public void Given_nesting_within_the_bound_that_an_alias_takes_past_it_when_loaded_then_the_alias_is_reported()
    {
        // Given 40 levels, used again 30 levels down
        var yaml = "experiment: deep\nrun: \"true\"\nexecutor:\n  sbatch:\n    - &a " + new string('[', 40) + new string(']', 40)
            + "\n    - " + new string('[', 30) + "*a" + new string(']', 30) + "\n";

        // When
        var result = SpecText.Load(_dir, yaml);

        // Then
        var error = result.Errors.ShouldHaveSingleItem();
        (error.Location.Line, error.Location.Column).ShouldBe((6, 37));
        error.Message.ShouldContain("through this alias");
    }

    [Fact]
    public void Given_a_spec_file_larger_than_the_bound_when_loaded_then_it_is_refused_without_being_parsed()
    {
        // Given a valid spec padded past 8 MiB with a comment
        var path = _dir.File("experiment.yaml", "experiment: big\nrun: \"true\"\n# " + new string('x', (int)SpecLimits.MaxFileBytes) + "\n");

        // When
        var result = SpecLoader.Load(path);

        // Then
        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("larger than 8 MiB");
    }

    [Fact]
    public async Task Given_a_device_that_never_ends_as_the_spec_when_loaded_then_reading_stops_at_the_bound()
    {
        // Given / When
        var result = await Task.Run(() => SpecLoader.Load("/dev/zero")).WaitAsync(Bound);

        // Then
        var error = result.Errors.ShouldHaveSingleItem();
        error.ToString().ShouldStartWith("/dev/zero: the spec is larger than 8 MiB");
    }

    [Theory]
    [InlineData("experiment: t\nparams:\n\tlr: 0.1\nrun: \"true\"\n", 3, 1)]
    [InlineData("experiment: t\nparams:\n  lr: 0.1\n\t\nrun: \"true\"\n", 4, 1)]
    [InlineData("experiment: t\nparams:\n  lr: 0.1\n  \tn: 2\nrun: \"true\"\n", 4, 3)]
    public void Given_a_tab_used_as_indentation_when_loaded_then_the_error_is_at_the_tab(string yaml, int line, int column)
    {
        // When
        var result = SpecText.Load(_dir, yaml);

        // Then
        var error = result.Errors.ShouldHaveSingleItem();
        error.Message.ShouldContain("tab");
        (error.Location.Line, error.Location.Column).ShouldBe((line, column));
    }

    [Fact]
    public async Task Given_a_set_value_of_nested_aliases_when_parsed_then_it_is_refused_like_a_spec()
    {
        // Given a list<list<...>> param and ten levels of ten aliases on the command line
        var type = string.Concat(Enumerable.Repeat("list<", 10)) + "string" + new string('>', 10);
        var param = new ParamDefinition("deep", ParamType.TryParse(type)!, null, true, null, null, [], false, null, new SourceLocation("spec"));
        var text = "[" + string.Join(", ", Enumerable.Range(0, 10).Select(i => i == 0
            ? "&a0 [" + string.Join(", ", Enumerable.Repeat("x", 10)) + "]"
            : $"&a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]")) + "]";
        var errors = new List<SpecError>();

        // When
        var ok = await Task.Run(() => CommandLineValues.TryParse(param, text, "--set deep=...", errors, out _)).WaitAsync(Bound);

        // Then
        ok.ShouldBeFalse();
        var error = errors.ShouldHaveSingleItem();
        error.Location.File.ShouldBe("--set deep=...");
        error.Message.ShouldContain("more than 1,000,000 YAML nodes");
    }
}
