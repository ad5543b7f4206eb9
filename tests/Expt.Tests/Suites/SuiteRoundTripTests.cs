using System.Text.Json;
using Expt.Planning;
using Expt.Specs;
using Expt.Suites;

namespace Expt.Tests.Suites;

/// <summary>Every param type goes from a C# suite through the flags (and config.json) into Parse&lt;T&gt; unchanged.</summary>
public sealed class SuiteRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Cases => ["defaults", "changed", "nulls", "awkward"];

    private static EveryTypeConfig Config(string name) => name switch
    {
        "defaults" => new EveryTypeConfig(),
        "changed" => new EveryTypeConfig { Model = "llama-3b", LoraRank = 16, Lr = 3e-4, Shuffle = true, Precision = Precision.fp32, Tags = ["a", "b"], Nums = [], Extra = new Dictionary<string, string> { ["k"] = "v" }, Counts = [], Limit = 5, Seed = 7 },
        "nulls" => new EveryTypeConfig { Extra = null, Limit = null, Note = null, Tags = [] },
        _ => new EveryTypeConfig { Model = "it's \"quoted\" naïve 日本 $HOME `x`", Tags = ["a,b", "c d", "--flag-like", "é", ""], Extra = new Dictionary<string, string> { ["ü"] = "x,y", ["k v"] = "" }, Lr = -0.5, Nums = [1, 2.5, -3e-10], Note = "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_suite_case_when_its_job_command_is_parsed_by_Parse_then_the_config_is_equal(string name)
    {
        // Given
        var sent = Config(name);
        var plan = Plan(new ExperimentCase(name, sent));
        var job = plan.Jobs.Single();
        var command = CommandBuilder.Build(plan, job, new JobPaths(_dir.Path, _dir.Combine(name)));

        // When
        var words = ShellWords.Split(command)!.Select(w => w.Text).ToList();
        var args = words.SkipWhile(w => w != "--").Skip(1).ToArray();
        var received = ExperimentConfig.Parse<EveryTypeConfig>(args);

        // Then
        received.OutputDir.ShouldBe(_dir.Combine(name));
        Json(received).ShouldBe(Json(sent));
        if (name is "defaults" or "nulls") args.ShouldContain("[]", "an empty list is passed as [], never left out");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Given_a_suite_case_when_its_config_json_is_read_by_Parse_then_the_config_is_equal(string name)
    {
        // Given
        var sent = Config(name);
        var plan = Plan(new ExperimentCase(name, sent));
        var job = plan.Jobs.Single();
        var path = _dir.File("config.json", ParamValues.ToIndentedJson(job.Config.Append(KeyValuePair.Create("output_dir", (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create("/out")))));

        // When
        var received = ExperimentConfig.Parse<EveryTypeConfig>(["--config", path]);

        // Then
        received.OutputDir.ShouldBe("/out");
        Json(received).ShouldBe(Json(sent));
    }

    [Fact]
    public void Given_a_suite_when_defined_then_each_property_is_a_param_of_its_type_with_its_default()
    {
        // When
        var plan = Plan(new ExperimentCase("x", new EveryTypeConfig()));

        // Then
        plan.Definition.Params.Select(p => $"{p.Name}:{p.Type}{(p.Nullable ? "?" : "")}={ParamValues.ToCompactJson(p.Default)}").ShouldBe(
        [
            "model:string=\"llama-1b\"", "lora_rank:int=8", "lr:float=0.0001", "shuffle:bool=false", "precision:enum=\"bf16\"",
            "tags:list<string>=[]", "nums:list<float>=[1.5,2.0]", "extra:map<string,string>?=null", "counts:map<string,int>={\"a\":1}",
            "limit:int?=null", "dp:path=\"data/x y.txt\"", "note:string?=\"n\"", "seed:int=42",
        ]);
        var rank = plan.Definition.FindParam("lora_rank")!;
        (rank.Min, rank.Max).ShouldBe((1d, 64d));
        plan.Definition.FindParam("precision")!.Values.ShouldBe(["bf16", "fp32"]);
    }

    private Plan Plan(params ExperimentCase[] cases)
    {
        var built = SuiteDefinition.Build(new SuiteSource(cases, "dotnet run train.cs --", "roundtrip", _dir.Combine("suite.cs")));
        built.Errors.ShouldBeEmpty();
        var prepared = ExperimentPreparer.Prepare(built.Definition!, PlanRequest.For("suite.cs") with { CheckExistence = false });
        prepared.Errors.ShouldBeEmpty();
        return prepared.Plan!;
    }

    /// <summary>The config's values, without the output directory (which only the receiving side has).</summary>
    private static string Json(ExperimentConfig c)
    {
        var node = JsonSerializer.SerializeToNode(c, c.GetType())!.AsObject();
        node.Remove(nameof(ExperimentConfig.OutputDir));
        return node.ToJsonString();
    }
}
