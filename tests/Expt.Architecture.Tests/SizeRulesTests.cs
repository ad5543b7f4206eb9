using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Expt.Architecture.Tests;

/// <summary>
/// Size limits that keep src/ readable in one sitting: a file is at most 300 lines, a method at most six
/// parameters (more means the method wants an object that holds them). See docs/architecture.md.
/// </summary>
public sealed class SizeRulesTests
{
    private const int MaxLines = 300;
    private const int MaxParameters = 6;

    [Fact]
    public void Every_source_file_in_src_is_at_most_300_lines()
    {
        var tooLong = SourceTree.Files
            .Select(f => (f.Relative, Lines: f.Tree.GetText().Lines.Count - (f.Text.EndsWith('\n') ? 1 : 0)))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.Relative}: {f.Lines} lines")
            .ToList();

        SourceTree.Files.Count.ShouldBeGreaterThan(100, "the source tree was not found or not read");
        tooLong.ShouldBeEmpty($"split these files (at most {MaxLines} lines each)");
    }

    [Fact]
    public void No_method_constructor_local_function_or_delegate_in_src_takes_more_than_six_parameters()
    {
        var tooMany = SourceTree.Files.SelectMany(TooManyParameters).ToList();

        tooMany.ShouldBeEmpty($"at most {MaxParameters} parameters: pass a record or an object that holds them");
    }

    [Fact]
    public void The_parameter_rule_counts_methods_constructors_local_functions_delegates_and_lambdas_but_not_positional_records()
    {
        const string Code = """
            namespace N;
            public sealed record Data(int A, int B, int C, int D, int E, int F, int G);
            public sealed class Primary(int a, int b, int c, int d, int e, int f, int g);
            public delegate void Handler(int a, int b, int c, int d, int e, int f, int g);
            public sealed class Host
            {
                public Host(int a, int b, int c, int d, int e, int f, int g) { }
                public void Method(int a, int b, int c, int d, int e, int f, int g)
                {
                    void Local(int a, int b, int c, int d, int e, int f, int g) { }
                    System.Action<int, int, int, int, int, int, int> lambda = (a, b, c, d, e, f, g) => { };
                }
                public void Six(int a, int b, int c, int d, int e, int f) { }
            }
            """;
        var file = new SourceFile("src/N/Sample.cs", Code, Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(Code, path: "src/N/Sample.cs"));

        var found = TooManyParameters(file).ToList();

        found.Select(f => f.Split(' ')[0]).ShouldBe(
            ["src/N/Sample.cs:3", "src/N/Sample.cs:4", "src/N/Sample.cs:7", "src/N/Sample.cs:8", "src/N/Sample.cs:10", "src/N/Sample.cs:11"]);
    }

    /// <summary>
    /// Every parameter list longer than six in one file. A positional record's parameter list is a data
    /// declaration (its properties), not a call signature, so it is not counted; a record's explicit
    /// constructors and methods are.
    /// </summary>
    private static IEnumerable<string> TooManyParameters(SourceFile file)
    {
        foreach (var node in file.Tree.GetRoot().DescendantNodes())
        {
            (string? What, ParameterListSyntax? List) found = node switch
            {
                RecordDeclarationSyntax => (null, null),
                TypeDeclarationSyntax type => ($"primary constructor of {type.Identifier.Text}", type.ParameterList),
                ConstructorDeclarationSyntax ctor => ($"constructor {ctor.Identifier.Text}", ctor.ParameterList),
                MethodDeclarationSyntax method => ($"method {method.Identifier.Text}", method.ParameterList),
                LocalFunctionStatementSyntax local => ($"local function {local.Identifier.Text}", local.ParameterList),
                DelegateDeclarationSyntax d => ($"delegate {d.Identifier.Text}", d.ParameterList),
                OperatorDeclarationSyntax op => ($"operator {op.OperatorToken.Text}", op.ParameterList),
                ParenthesizedLambdaExpressionSyntax lambda => ("lambda", lambda.ParameterList),
                AnonymousMethodExpressionSyntax anonymous => ("anonymous delegate", anonymous.ParameterList),
                _ => (null, null),
            };
            if (found is { What: { } what, List: { } list } && list.Parameters.Count > MaxParameters)
            {
                yield return $"{file.Where(list)} {what} takes {list.Parameters.Count} parameters";
            }
        }
    }
}
