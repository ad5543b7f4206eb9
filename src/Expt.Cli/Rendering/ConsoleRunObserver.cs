using System.Collections.Concurrent;
using Expt.Execution;
using Expt.Internal;
using Expt.Planning;
using Expt.Recording;
using Expt.Specs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Expt.Cli.Rendering;

/// <summary>
/// Shows a run as it goes: plain timestamped lines when output is not a terminal (logs, CI), or a live table of
/// state counts and running jobs on a terminal.
/// </summary>
internal sealed class ConsoleRunObserver(CliContext context, int totalJobs, string header) : IRunObserver
{
    private readonly ConcurrentDictionary<string, JobStatus> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _messages = new();
    private readonly object _writeGate = new();
    private int _finished;

    /// <summary>A job's status changed, whether the run is executed or followed (<c>expt watch</c>, which has no plan).</summary>
    public void JobUpdated(JobStatus status)
    {
        var previous = _jobs.TryGetValue(status.Id, out var p) ? p.State : (JobState?)null;
        _jobs[status.Id] = status;
        // Kept incrementally: counting all jobs per event would make a 100,000-job sweep quadratic.
        if (status.State.IsFinished() && previous?.IsFinished() != true) Interlocked.Increment(ref _finished);
        else if (!status.State.IsFinished() && previous?.IsFinished() == true) Interlocked.Decrement(ref _finished);
        if (context.Interactive || previous == status.State) return;
        var text = status.State switch
        {
            JobState.Running => $"start     {status.Id}{(status.Attempt > 1 ? $" (attempt {status.Attempt})" : "")}",
            JobState.Pending => null,
            // A first submission is not news line by line (a sweep may submit thousands); a return to the queue is.
            JobState.Queued when previous is null or JobState.Pending => null,
            JobState.Queued => $"queued    {status.Id}{(status.Attempt > 1 ? $" (attempt {status.Attempt})" : "")}{(string.IsNullOrEmpty(status.Reason) ? "" : $": {status.Reason}")}",
            _ => $"{status.State.Name(),-9} {status.Id}{(status.DurationSeconds is { } d ? $" in {Durations.Format(TimeSpan.FromSeconds(d))}" : "")}{(status.State is JobState.Succeeded ? "" : $": {status.Reason}")}",
        };
        if (text is not null) Line(text);
    }

    public void JobsSkipped(int count) => Interlocked.Add(ref _finished, count);

    public void Message(string text)
    {
        if (context.Interactive) _messages.Enqueue(text);
        else Line(text);
    }

    private bool _headerWritten;

    private void Line(string text)
    {
        lock (_writeGate)
        {
            // Written with the first event, so a run refused before it starts prints only its errors.
            if (!_headerWritten)
            {
                context.Out.WriteLine(header);
                _headerWritten = true;
            }
            // A line names a job and its reason, which the job (or SLURM) wrote: escaped, never raw to the terminal.
            context.Out.WriteLine($"[{Timestamps.Log(context.Time.GetLocalNow())[11..]}] {Volatile.Read(ref _finished),4}/{totalJobs} {VisibleText.Escape(text)}");
            context.Out.Flush();
        }
    }

    /// <summary>Runs the live display until <paramref name="run"/> completes (terminal only).</summary>
    public async Task<T> WatchAsync<T>(Task<T> run)
    {
        if (!context.Interactive) return await run.ConfigureAwait(false);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Out) });
        await console.Live(Render()).AutoClear(true).StartAsync(async live =>
        {
            while (!run.IsCompleted)
            {
                live.UpdateTarget(Render());
                await Task.WhenAny(run, Task.Delay(250)).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        while (_messages.TryDequeue(out var m)) context.Out.WriteLine(VisibleText.Escape(m));
        return await run.ConfigureAwait(false);
    }

    private IRenderable Render()
    {
        var statuses = _jobs.Values.ToList();
        var counts = JobStates.All.Select(s => (s, statuses.Count(x => x.State == s))).Where(x => x.Item2 > 0 && x.s != JobState.Pending);
        var done = statuses.Count(s => s.State.IsFinished());
        var header = new Markup($"[bold]{done}/{totalJobs}[/] done   " + string.Join("  ", counts.Select(c => $"{Color(c.s)}{c.Item2} {c.s.Name()}[/]")));
        var table = new Table().Border(TableBorder.Simple).AddColumn("running").AddColumn("attempt").AddColumn("for");
        var now = context.Time.GetUtcNow();
        foreach (var s in statuses.Where(s => s.State == JobState.Running).OrderBy(s => s.StartedAt).Take(12))
        {
            table.AddRow(Markup.Escape(VisibleText.Escape(s.Id)), s.Attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), Durations.Format(now - (s.StartedAt ?? now)));
        }
        return new Rows(header, table);
    }

    private static string Color(JobState s) => s switch
    {
        JobState.Succeeded => "[green]",
        JobState.Failed or JobState.TimedOut or JobState.Lost => "[red]",
        JobState.Blocked or JobState.Cancelled => "[yellow]",
        _ => "[blue]",
    };
}
