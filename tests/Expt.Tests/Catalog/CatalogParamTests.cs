using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Catalog;

namespace Expt.Tests.Catalog;

/// <summary>A param is stored by its JSON kind whatever CLR value backs the node (the planner's or a parsed file's).</summary>
public sealed class CatalogParamTests
{
    public static TheoryData<string, JsonNode, double> Numbers => new()
    {
        { "long", JsonValue.Create(9L), 9 },
        { "int", JsonValue.Create(9), 9 },
        { "double", JsonValue.Create(9.5), 9.5 },
        { "float", JsonValue.Create(9.5f), 9.5 },
        { "decimal", JsonValue.Create(9.5m), 9.5 },
        { "short", JsonValue.Create((short)-3), -3 },
        { "ulong", JsonValue.Create(ulong.MaxValue), ulong.MaxValue },
        { "parsed int", JsonNode.Parse("9")!, 9 },
        { "parsed float", JsonNode.Parse("1e-3")!, 1e-3 },
        { "element", JsonValue.Create(JsonDocument.Parse("100").RootElement)!, 100 },
    };

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Given_a_numeric_json_value_of_any_backing_type_when_stored_as_a_param_then_it_is_a_number(string backing, JsonNode node, double expected)
    {
        // When
        var value = CatalogValue.FromParam("n", node)!;

        // Then
        value.Kind.ShouldBe(ValueKind.Number, backing);
        value.Number.ShouldBe(expected);
        value.Text.ShouldBeNull();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Given_a_boolean_backed_or_parsed_when_stored_then_it_is_a_boolean(bool flag)
    {
        // When
        var created = CatalogValue.FromParam("b", JsonValue.Create(flag))!;
        var parsed = CatalogValue.FromParam("b", JsonNode.Parse(flag ? "true" : "false"))!;

        // Then
        foreach (var value in new[] { created, parsed })
        {
            value.Kind.ShouldBe(ValueKind.Boolean);
            value.Number.ShouldBe(flag ? 1 : 0);
            value.Text.ShouldBe(flag ? "true" : "false");
        }
    }

    [Fact]
    public void Given_a_numeric_looking_string_when_stored_then_it_stays_text()
    {
        // When
        var value = CatalogValue.FromParam("seed", JsonValue.Create("42"))!;

        // Then
        value.Kind.ShouldBe(ValueKind.Text);
        value.Text.ShouldBe("42");
    }
}
