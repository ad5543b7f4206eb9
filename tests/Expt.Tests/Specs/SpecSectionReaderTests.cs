using Expt.Specs;
using YamlDotNet.RepresentationModel;

namespace Expt.Tests.Specs;

/// <summary>Each spec section is read by its own reader into one collector of located problems.</summary>
public sealed class SpecSectionReaderTests
{
    private static YamlMappingNode Parse(string yaml) =>
        (YamlMappingNode)SpecYaml.Parse(yaml, "experiment.yaml", out var error)!.ShouldNotBeNull(error?.ToString());

    [Fact]
    public void Given_a_params_block_when_read_by_the_params_reader_alone_then_its_problems_are_located_and_seed_is_added()
    {
        // Given
        var root = Parse("params:\n  lr: { type: float, default: fast }\n  epochs: 3\n");
        var diagnostics = new SpecDiagnostics("experiment.yaml");
        var reader = new ParamsReader(new SpecFields(diagnostics), new ValueCoercer(diagnostics.File, diagnostics.Errors));

        // When
        var parameters = reader.Read(root.Children[new YamlScalarNode("params")], ".");

        // Then
        parameters.Select(p => p.Name).ShouldBe(["epochs", "seed"]);
        var error = diagnostics.Errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("params.lr.default");
        error.Location.ShouldBe(new SourceLocation("experiment.yaml", 2, 31));
    }

    [Fact]
    public void Given_two_problems_on_one_spot_and_one_earlier_when_sorted_then_file_order_keeps_the_order_they_were_found_in()
    {
        // Given
        var node = Parse("a: 1\nb: 2\n");
        var diagnostics = new SpecDiagnostics("experiment.yaml");
        var second = node.Children[new YamlScalarNode("b")];
        var first = node.Children[new YamlScalarNode("a")];

        // When
        diagnostics.Error(second, "b", "found first");
        diagnostics.Error(second, "b", "found second");
        diagnostics.Error(first, "a", "earlier in the file");

        // Then
        diagnostics.SortedErrors().Select(e => e.Message).ShouldBe(["earlier in the file", "found first", "found second"]);
    }
}
