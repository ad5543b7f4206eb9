using System.Reflection;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Expt.Architecture.Tests;

/// <summary>
/// Which project may name which: the library knows no front end and no particular remote backend, and the CLI
/// reaches SLURM only through the backend registry (one line of Program.cs registers it), so local runs work
/// without Expt.Slurm.dll. See docs/architecture.md.
/// </summary>
public sealed class LayeringTests
{
    private const string Slurm = "Expt.Slurm";

    [Fact]
    public void The_library_references_neither_Expt_Slurm_nor_Expt_Cli()
    {
        var project = XDocument.Load(Path.Combine(SourceTree.Root, "src/Expt/Expt.csproj"));
        var projectReferences = project.Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include") ?? "").ToList();
        var assemblyReferences = Assembly.Load("Expt").GetReferencedAssemblies().Select(a => a.Name).ToList();

        projectReferences.ShouldBeEmpty("src/Expt/Expt.csproj references no other project of the repository");
        assemblyReferences.ShouldNotContain(Slurm);
        assemblyReferences.ShouldNotContain("Expt.Cli");
    }

    [Fact]
    public void Expt_Cli_names_no_type_of_Expt_Slurm_outside_the_line_of_Program_cs_that_registers_the_backend()
    {
        var (compilation, files) = CompileCli();
        // CS8795: a [GeneratedRegex] partial method, implemented by a source generator this compilation does not run;
        // likewise the JSON source generator's half of CliJsonContext (its constructor and Default, named only in its file).
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795" && !(d.Location.SourceTree?.FilePath.EndsWith("CliJsonContext.cs", StringComparison.Ordinal) ?? false))
            .Take(5).ToList();
        errors.ShouldBeEmpty("Expt.Cli's source must bind completely, or names of SLURM types could go unseen");

        var uses = files.SelectMany(f => SlurmNames(compilation.GetSemanticModel(f.Tree), f)).ToList();
        var registration = uses.Where(u => u.File.Relative == "src/Expt.Cli/Program.cs" && u.LineText.Contains(".Register(", StringComparison.Ordinal)).ToList();
        var elsewhere = uses.Except(registration).Select(u => $"{u.Where}: {u.Name}").Distinct().ToList();

        elsewhere.ShouldBeEmpty("commands reach a backend through ExecutorRegistry/IExecutorBackend, never a SLURM type");
        registration.Select(u => u.Where).Distinct().Count().ShouldBe(1, "one line of Program.cs registers the SLURM backend");
    }

    [Fact]
    public void The_rule_sees_a_SLURM_type_reached_through_var_and_a_using_directive()
    {
        const string Code = """
            using Expt.Slurm;
            namespace Expt.Cli;
            internal static class Sample
            {
                public static object Make() { var backend = new SlurmBackend(); return backend; }
            }
            """;
        var (compilation, _) = CompileCli();
        var tree = CSharpSyntaxTree.ParseText(Code, ParseOptions, path: "src/Expt.Cli/Sample.cs");
        compilation = compilation.AddSyntaxTrees(tree);

        var uses = SlurmNames(compilation.GetSemanticModel(tree), new SourceFile("src/Expt.Cli/Sample.cs", Code, tree)).ToList();

        uses.Select(u => u.Where).Distinct().ShouldBe(["src/Expt.Cli/Sample.cs:1", "src/Expt.Cli/Sample.cs:5"]);
    }

    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);

    private sealed record Use(SourceFile File, string Where, string Name, string LineText);

    /// <summary>Every name in a file that binds to Expt.Slurm: its namespace, a type of its assembly, or a member of one.</summary>
    private static IEnumerable<Use> SlurmNames(SemanticModel model, SourceFile file)
    {
        foreach (var name in file.Tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
        {
            var info = model.GetSymbolInfo(name);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is null || !IsSlurm(symbol)) continue;
            var line = name.GetLocation().GetLineSpan().StartLinePosition.Line;
            yield return new Use(file, file.Where(name), symbol.ToDisplayString(), file.Tree.GetText().Lines[line].ToString());
        }
    }

    private static bool IsSlurm(ISymbol symbol) => symbol switch
    {
        INamespaceSymbol ns => ns.ToDisplayString() is var n && (n == Slurm || n.StartsWith(Slurm + ".", StringComparison.Ordinal)),
        _ => symbol.ContainingAssembly?.Name == Slurm
            || (symbol is ILocalSymbol local && local.Type.ContainingAssembly?.Name == Slurm),
    };

    /// <summary>
    /// Expt.Cli's source compiled (bound, not emitted) as the build compiles it: same assembly name (it sees the
    /// library's internals), the SDK's implicit usings, and every assembly the test host loads except Expt.Cli's own.
    /// </summary>
    private static (CSharpCompilation Compilation, IReadOnlyList<SourceFile> Files) CompileCli()
    {
        var files = SourceTree.Of("Expt.Cli").ToList();
        const string ImplicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetFileNameWithoutExtension(path) != "Expt.Cli")
            .Select(path => MetadataReference.CreateFromFile(path));
        var trees = files.Select(f => f.Tree).Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions));
        var compilation = CSharpCompilation.Create("Expt.Cli", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        return (compilation, files);
    }
}
