using Expt.Internal;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>Prints validation problems, all of them, one per line.</summary>
internal static class ErrorRenderer
{
    public static void Write(TextWriter error, IReadOnlyList<SpecError> errors, IReadOnlyList<SpecError> warnings)
    {
        // A problem quotes the spec (a name, a value): one line each, through the one escaper.
        foreach (var w in warnings) error.WriteLine($"warning: {VisibleText.Escape(w.ToString())}");
        foreach (var e in errors) error.WriteLine($"error: {VisibleText.Escape(e.ToString())}");
        if (errors.Count > 0) error.WriteLine($"{errors.Count} problem{(errors.Count == 1 ? "" : "s")} found; nothing was run or written.");
    }

    /// <summary>
    /// Problems found before anything ran (the executor's checks, a refused resume), as <c>error:</c> lines; indented
    /// lines are details of the one before. An <c>executor.KEY: …</c> problem is located where the spec sets KEY.
    /// </summary>
    public static void Write(TextWriter error, IReadOnlyList<string> errors, IReadOnlyDictionary<string, SourceLocation>? executorLocations = null)
    {
        foreach (var e in errors)
        {
            if (e.StartsWith("  ", StringComparison.Ordinal))
            {
                error.WriteLine(VisibleText.Escape(e));
                continue;
            }
            var key = e.StartsWith("executor.", StringComparison.Ordinal) && e.IndexOf(':', StringComparison.Ordinal) is > 9 and var colon ? e[9..colon] : null;
            var at = key is not null && executorLocations?.GetValueOrDefault(key) is { } location ? $"{location}: " : "";
            error.WriteLine($"error: {at}{VisibleText.Escape(e)}");
        }
        var count = errors.Count(e => !e.StartsWith("  ", StringComparison.Ordinal));
        if (count > 1) error.WriteLine($"{count} problems found; nothing was run or written.");
    }
}
