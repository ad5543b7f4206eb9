using System.Reflection;
using System.Text;

namespace Expt.Cli.Scaffolding;

/// <summary>One file a template writes: its name in the new folder, its text, and whether it is a script to mark executable.</summary>
/// <param name="Name">The file's name, relative to the experiment's folder.</param>
/// <param name="Text">What it holds.</param>
/// <param name="Executable">True for a script (mode 755 on Unix).</param>
internal sealed record TemplateFile(string Name, string Text, bool Executable);

/// <summary>
/// The templates of <c>expt init</c>, kept as files under <c>src/Expt.Cli/Templates/</c> and embedded in the tool, so
/// what the tests run and what a user gets are the same bytes. In a template, <c>__EXPERIMENT__</c> stands for the
/// experiment's name; a <c>.template</c> suffix (train.cs, which the CLI's own build must not compile) is dropped.
/// </summary>
internal static class ProjectTemplates
{
    /// <summary>The Python helper's file name.</summary>
    public const string HelperName = "expt_entry.py";

    private const string Placeholder = "__EXPERIMENT__";
    private const string Suffix = ".template";

    /// <summary>The template names, the default first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["python", "csharp", "shell"];

    /// <summary>The entry point each template writes and how it is run, for the message after <c>expt init</c>.</summary>
    public static string Describe(string template) => template switch
    {
        "python" => "train.py reads its config with expt_entry.py (standard library only) into a dataclass",
        "csharp" => "train.cs is a .NET 10 file-based app that parses Expt's flags",
        _ => "train.sh reads Expt's flags in bash",
    };

    /// <summary>The text of expt_entry.py.</summary>
    public static string Helper => Read(HelperName);

    /// <summary>The files of <paramref name="template"/> (one of <see cref="Names"/>) for an experiment named <paramref name="experiment"/>.</summary>
    public static IReadOnlyList<TemplateFile> For(string template, string experiment)
    {
        if (!Names.Contains(template)) throw new ArgumentException($"unknown template '{template}'", nameof(template));
        var prefix = $"Templates/{template}/";
        var files = Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => new TemplateFile(Strip(n[prefix.Length..]), Read(n[("Templates/".Length)..]).Replace(Placeholder, experiment, StringComparison.Ordinal), n.EndsWith(".sh", StringComparison.Ordinal)))
            .ToList();
        if (template == "python") files.Add(new TemplateFile(HelperName, Helper, false));
        return files;
    }

    private static Assembly Assembly => typeof(ProjectTemplates).Assembly;

    private static string Strip(string name) => name.EndsWith(Suffix, StringComparison.Ordinal) ? name[..^Suffix.Length] : name;

    private static string Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream("Templates/" + name)
            ?? throw new InvalidOperationException($"the template file {name} is not embedded in {Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
