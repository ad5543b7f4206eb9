using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Expt.Architecture.Tests;

/// <summary>
/// Only the runner sets a config's <c>OutputDir</c>: suite code that assigns it does not compile. Proven by compiling
/// suite code against the built Expt.dll, as a user's suite is.
/// </summary>
public sealed class OutputDirProtectionTests
{
    private const string Config = """
        using Expt.Suites;
        public sealed record TrainConfig : ExperimentConfig { public int Epochs { get; init; } = 3; }
        """;

    [Theory]
    [InlineData("var c = new TrainConfig { OutputDir = \"/tmp/x\" };")]
    [InlineData("var c = new TrainConfig() with { OutputDir = \"/tmp/x\" };")]
    [InlineData("var c = new TrainConfig(); c.OutputDir = \"/tmp/x\";")]
    public void Given_suite_code_that_assigns_OutputDir_when_compiled_then_it_fails_with_CS0200_read_only(string statement)
    {
        // When
        var errors = Compile($"public static class Suite {{ public static void Main() {{ {statement} }} }}");

        // Then
        errors.ShouldHaveSingleItem().ShouldStartWith("CS0200");
        errors[0].ShouldContain("OutputDir");
    }

    [Fact]
    public void Given_suite_code_that_reads_OutputDir_and_sets_params_when_compiled_then_it_compiles()
    {
        var errors = Compile("public static class Suite { public static string? Main() { var c = new TrainConfig { Epochs = 5, Seed = 1 } with { Epochs = 6 }; return c.OutputDir; } }");

        errors.ShouldBeEmpty();
    }

    private static List<string> Compile(string code)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !Path.GetFileName(path).StartsWith("Expt.", StringComparison.Ordinal))
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(Assembly.Load("Expt").Location));
        var trees = new[] { Config, code, "global using System; global using System.Collections.Generic;" }.Select(c => CSharpSyntaxTree.ParseText(c));
        var compilation = CSharpCompilation.Create("UserSuite", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").ToList();
    }
}
