using System.Text.Json.Nodes;
using Expt.Planning;
using Expt.Specs;
using Expt.Tests.Support;

namespace Expt.Tests.Planning;

/// <summary>The plan depends on the definition, not on the syntax it came from (the YAML spec or, later, a C# suite).</summary>
public sealed class SyntaxIndependenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Given_a_definition_built_in_code_when_planned_then_it_equals_the_plan_of_the_same_yaml_spec()
    {
        // Given
        _dir.File("train.py", "");
        var fromYaml = SpecText.Plan(_dir, """
            experiment: same
            params:
              model: { type: string, default: a }
              rank: { type: int, default: 8 }
            matrix: { model: [a, b], rank: [4, 16] }
            include: [ { kind: control, name: base, rank: 0 } ]
            name: "{model}_r{rank}"
            run: python3 train.py
            """);
        var at = new SourceLocation("suite.cs");
        var inCode = new ExperimentDefinition
        {
            Name = "same",
            Params =
            [
                new ParamDefinition("model", new ParamType(ParamKind.String), JsonValue.Create("a"), false, null, null, [], false, null, at),
                new ParamDefinition("rank", new ParamType(ParamKind.Int), JsonValue.Create(8L), false, null, null, [], false, null, at),
                new ParamDefinition("seed", new ParamType(ParamKind.Int), JsonValue.Create(42L), false, null, null, [], false, null, at),
            ],
            Matrix =
            [
                new MatrixFactor("model", [JsonValue.Create("a"), JsonValue.Create("b")], at),
                new MatrixFactor("rank", [JsonValue.Create(4L), JsonValue.Create(16L)], at),
            ],
            Includes = [new IncludeDefinition("control", "base", new Dictionary<string, JsonNode?> { ["rank"] = JsonValue.Create(0L) }, at)],
            NameTemplate = "{model}_r{rank}",
            Stages = [new StageDefinition("main", "python3 train.py", [], [], [], new Dictionary<string, IReadOnlyList<CellAxis>>(), 1, null, ResourceRequest.None, null, 0, StageDefinition.DefaultRetryOn, null, null, true, at)],
            WorkingDirectory = _dir.Path,
            SourcePath = Path.Combine(_dir.Path, "suite.cs"),
        };

        // When
        var fromCode = ExperimentPreparer.Prepare(inCode, PlanRequest.For("suite.cs"));

        // Then
        fromCode.Errors.ShouldBeEmpty();
        fromCode.Plan!.Jobs.Select(j => (j.Id, j.Variant.Kind, j.Identity)).ShouldBe(fromYaml.Jobs.Select(j => (j.Id, j.Variant.Kind, j.Identity)));
    }
}
