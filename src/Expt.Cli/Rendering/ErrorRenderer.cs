using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>Prints validation problems, all of them, one per line.</summary>
internal static class ErrorRenderer
{
    public static void Write(TextWriter error, IReadOnlyList<SpecError> errors, IReadOnlyList<SpecError> warnings)
    {
        foreach (var w in warnings) error.WriteLine($"warning: {w}");
        foreach (var e in errors) error.WriteLine($"error: {e}");
        if (errors.Count > 0) error.WriteLine($"{errors.Count} problem{(errors.Count == 1 ? "" : "s")} found; nothing was run or written.");
    }

    public static void Write(TextWriter error, IReadOnlyList<string> errors)
    {
        foreach (var e in errors) error.WriteLine(e.StartsWith("  ", StringComparison.Ordinal) ? e : $"error: {e}");
    }
}
