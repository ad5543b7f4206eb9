using Expt.Execution.Backends;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Execution.Preparation;

/// <summary>
/// A run ready to start (or, for a dry run, a plan ready to show), or why not. Every refusal is about the input (the
/// spec, an option, the run to resume): the command exits with its invalid-input code and nothing was run or written.
/// </summary>
public sealed record PreparedRun
{
    /// <summary>The plan; null when the spec could not be planned (or no spec was found).</summary>
    public Plan? Plan { get; init; }

    /// <summary>The spec's problems (with <see cref="Warnings"/>), when it could not be planned.</summary>
    public IReadOnlyList<SpecError> SpecErrors { get; init; } = [];

    /// <summary>The spec's warnings, shown before the plan or the run.</summary>
    public IReadOnlyList<SpecError> Warnings { get; init; } = [];

    /// <summary>Why the run was refused although the spec is good (or before it was read): an option, the run to resume.</summary>
    public IReadOnlyList<RunProblem> Problems { get; init; } = [];

    /// <summary>The results root the run goes to (or is resumed in).</summary>
    public string ResultsRoot { get; init; } = "";

    /// <summary>For a dry run: the run directory it would use, or the pattern of a new one's name.</summary>
    public string RunDirectoryHint { get; init; } = "";

    /// <summary>For a dry run with <c>--resume</c>: what the resume would find and whether it would be refused.</summary>
    public ResumePreview? ResumePreview { get; init; }

    /// <summary>The backend that runs the jobs (not for a dry run).</summary>
    public IExecutorBackend? Backend { get; init; }

    /// <summary>How the jobs run: the machine's defaults, the command line's options and the GPUs found (not for a dry run).</summary>
    public ExecutionOptions? Options { get; init; }

    /// <summary>What opens the run's session: root, run id, the run to resume, the command line (not for a dry run).</summary>
    public RunRequest? Run { get; init; }

    /// <summary>True when nothing stops the plan being shown (dry run) or the run being started.</summary>
    public bool IsSuccess => Plan is not null && SpecErrors.Count == 0 && Problems.Count == 0;

    /// <summary>Refused for <paramref name="message"/>, before or after the spec was planned.</summary>
    internal static PreparedRun Refused(string message) => new() { Problems = [new RunProblem(message)] };
}
