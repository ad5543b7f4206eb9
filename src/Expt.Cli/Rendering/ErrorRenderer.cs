using Expt.Internal;
using Expt.Execution;
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
    /// Problems found before anything ran (the executor's checks, a refused resume), as <c>error:</c> lines, each
    /// followed by its details indented; a problem with a spec field is located where the spec sets it.
    /// </summary>
    public static void Write(TextWriter error, IReadOnlyList<RunProblem> problems)
    {
        foreach (var problem in problems)
        {
            // A problem quotes the spec or the run (a name, a value): through the one escaper.
            error.WriteLine($"error: {VisibleText.Escape(problem.ToString())}");
            foreach (var detail in problem.Details) error.WriteLine($"  {VisibleText.Escape(detail)}");
        }
        if (problems.Count > 1) error.WriteLine($"{problems.Count} problems found; nothing was run or written.");
    }
}
