using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Expt.Architecture.Tests;

/// <summary>The repository's src/ read once per test run: every .cs file outside bin/ and obj/, parsed.</summary>
internal static class SourceTree
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<SourceFile>> LazyFiles = new(() => Read(Path.Combine(Root, "src")));

    /// <summary>The folder that holds Expt.slnx.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Every source file under src/.</summary>
    public static IReadOnlyList<SourceFile> Files => LazyFiles.Value;

    /// <summary>The source files of one project, e.g. "Expt.Cli".</summary>
    public static IEnumerable<SourceFile> Of(string project) =>
        Files.Where(f => f.Relative.StartsWith($"src/{project}/", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Expt.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no Expt.slnx above {AppContext.BaseDirectory}: the architecture tests read the source tree");
    }

    private static IReadOnlyList<SourceFile> Read(string src)
    {
        var options = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview);
        return Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Root, path).Replace('\\', '/'))
            .Where(relative => !relative.Split('/').Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(relative =>
            {
                var text = File.ReadAllText(Path.Combine(Root, relative));
                return new SourceFile(relative, text, CSharpSyntaxTree.ParseText(text, options, path: relative));
            })
            .ToList();
    }
}

/// <summary>One parsed source file; <see cref="Relative"/> is its path from the repository root, with '/'.</summary>
internal sealed record SourceFile(string Relative, string Text, SyntaxTree Tree)
{
    /// <summary>"path:line" of a node (1-based), as the failures list it.</summary>
    public string Where(SyntaxNode node) => $"{Relative}:{node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
}
