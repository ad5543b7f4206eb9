using System.Text.Json.Nodes;
using Expt.Cli.Tests.Support;

namespace Expt.Cli.Tests.Commands;

/// <summary>Every param type reaches a real Python entry point identically through flags, config.json and the environment.</summary>
public sealed class ParamRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Spec = """
        experiment: roundtrip
        params:
          s:      { type: string, default: "it's a \"quoted\" naïve 日本 value $HOME `x` \\n" }
          empty:  { type: string, default: "" }
          i:      { type: int, default: -3 }
          big:    { type: int, default: 9007199254740993 }
          f:      { type: float, default: 1.0e-4 }
          whole:  { type: float, default: 2 }
          b:      { type: bool, default: false }
          e:      { type: enum, values: [bf16, fp32], default: fp32 }
          p:      { type: path, default: "data/x y.txt" }
          tags:   { type: list<string>, default: [] }
          items:  { type: list<string>, default: ["a,b", "c d", "é", "--flag-like"] }
          nums:   { type: list<float>, default: [1.5, 2] }
          m:      { type: map<string,string>, default: { k: "v,1", "ü": "x y" } }
          nm:     { type: map<string,int>, default: null, nullable: true }
          limit:  { type: int, default: null, nullable: true }
          neg:    { type: float, default: -0.5 }
        matrix:
          b: [false, true]
        name: "b_{b}"
        run: python3 entry.py
        """;

    private const string Entry = """
        import json, os, sys
        types = {"s": "str", "empty": "str", "i": "int", "big": "int", "f": "float", "whole": "float", "b": "bool", "e": "str", "p": "str",
                 "tags": "json", "items": "json", "nums": "json", "m": "json", "nm": "json", "limit": "int", "neg": "float", "seed": "int", "output_dir": "str"}
        def decode(kind, text):
            if text == "__none__": return None
            if kind == "int": return int(text)
            if kind == "float": return float(text)
            if kind == "bool": return {"true": True, "false": False}[text]
            if kind == "json": return json.loads(text)
            return text
        argv = sys.argv[1:]
        flags = {}
        i = 0
        while i < len(argv):
            assert argv[i].startswith("--"), argv[i]
            name = argv[i][2:]
            flags[name] = decode(types[name], argv[i + 1])
            i += 2
        config = json.load(open(os.environ["EXPT_CONFIG"], encoding="utf-8"))
        env = {k: v for k, v in os.environ.items() if k.startswith("EXPT_")}
        with open(os.path.join(flags["output_dir"], "received.json"), "w", encoding="utf-8") as out:
            json.dump({"flags": flags, "config": config, "env": env, "argc": len(argv)}, out, ensure_ascii=False)
        """;

    [Fact]
    public async Task Given_every_param_type_when_run_then_flags_config_json_and_env_carry_identical_values()
    {
        // Given
        var spec = _dir.File("experiment.yaml", Spec);
        _dir.File("entry.py", Entry);
        var results = _dir.Combine("results");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", results, "--run-id", "r1");

        // Then
        result.ExitCode.ShouldBe(0, result.Out + result.Error);
        foreach (var variant in new[] { "b_false", "b_true" })
        {
            var jobDir = Path.Combine(results, "roundtrip", "r1", variant);
            var received = JsonNode.Parse(File.ReadAllText(Path.Combine(jobDir, "received.json")))!;
            var flags = received["flags"]!.AsObject();
            var config = received["config"]!.AsObject();
            JsonNode.DeepEquals(flags, config).ShouldBeTrue($"flags {flags.ToJsonString()} != config {config.ToJsonString()}");
            received["argc"]!.GetValue<int>().ShouldBe(2 * 18);

            flags["s"]!.GetValue<string>().ShouldBe("it's a \"quoted\" naïve 日本 value $HOME `x` \\n");
            flags["empty"]!.GetValue<string>().ShouldBe("");
            flags["i"]!.GetValue<long>().ShouldBe(-3);
            flags["big"]!.GetValue<long>().ShouldBe(9007199254740993);
            flags["f"]!.GetValue<double>().ShouldBe(1.0e-4);
            flags["whole"]!.GetValue<double>().ShouldBe(2.0);
            flags["b"]!.GetValue<bool>().ShouldBe(variant == "b_true");
            flags["e"]!.GetValue<string>().ShouldBe("fp32");
            flags["p"]!.GetValue<string>().ShouldBe("data/x y.txt");
            flags["tags"]!.AsArray().Count.ShouldBe(0);
            flags["items"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["a,b", "c d", "é", "--flag-like"]);
            flags["nums"]!.AsArray().Select(n => n!.GetValue<double>()).ShouldBe([1.5, 2.0]);
            flags["m"]!["k"]!.GetValue<string>().ShouldBe("v,1");
            flags["m"]!["ü"]!.GetValue<string>().ShouldBe("x y");
            flags["nm"].ShouldBeNull();
            flags.ContainsKey("nm").ShouldBeTrue();
            flags["limit"].ShouldBeNull();
            flags["neg"]!.GetValue<double>().ShouldBe(-0.5);
            flags["seed"]!.GetValue<long>().ShouldBe(42);
            flags["output_dir"]!.GetValue<string>().ShouldBe(jobDir);

            var env = received["env"]!.AsObject();
            env["EXPT_CONFIG"]!.GetValue<string>().ShouldBe(Path.Combine(jobDir, "config.json"));
            env["EXPT_OUTPUT_DIR"]!.GetValue<string>().ShouldBe(jobDir);
            env["EXPT_RUN_DIR"]!.GetValue<string>().ShouldBe(Path.Combine(results, "roundtrip", "r1"));
            env["EXPT_EXPERIMENT"]!.GetValue<string>().ShouldBe("roundtrip");
            env["EXPT_VARIANT"]!.GetValue<string>().ShouldBe(variant);
            env["EXPT_STAGE"]!.GetValue<string>().ShouldBe("main");
            env["EXPT_GIT_COMMIT"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            env["EXPT_ATTEMPT"]!.GetValue<string>().ShouldBe("1");
            env["EXPT_SHARD_INDEX"]!.GetValue<string>().ShouldBe("0");
            env["EXPT_SHARD_COUNT"]!.GetValue<string>().ShouldBe("1");
        }
    }

    [Fact]
    public async Task Given_float_params_when_config_json_is_written_then_floats_keep_a_decimal_point()
    {
        // Given
        var spec = _dir.File("experiment.yaml", "experiment: floats\nparams:\n  whole: { type: float, default: 2 }\nrun: \"true\"\nargs: none\n");

        // When
        var result = await CliHarness.RunAsync("run", spec, "--results", _dir.Combine("results"), "--run-id", "r");

        // Then
        result.ExitCode.ShouldBe(0, result.Error);
        File.ReadAllText(_dir.Combine("results", "floats", "r", "default", "config.json")).ShouldContain("\"whole\": 2.0");
    }
}
