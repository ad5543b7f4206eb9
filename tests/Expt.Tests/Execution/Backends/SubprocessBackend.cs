using System.Diagnostics;
using Expt.Execution;
using Expt.Execution.Backends;
using Expt.Execution.Local;
using Expt.Planning;
using Expt.Recording;
using Expt.Results;

namespace Expt.Tests.Execution.Backends;

/// <summary>
/// A third backend that exists only in tests: jobs as plain <see cref="Process"/> children (no wrapper, no process
/// group, no adoption). It shows that a backend is one type and one registration: nothing of the local or SLURM
/// backend, and no command, knows it.
/// </summary>
internal sealed class SubprocessBackend : IExecutorBackend
{
    public const string BackendName = "subprocess";

    public string Name => BackendName;

    public IReadOnlyList<string> SettingKeys => ["shell"];

    public bool RunsOnThisMachine => true;

    public IExecutor CreateExecutor(TimeProvider time) => new SubprocessExecutor(new LocalExecutor(new PlainProcessLauncher(time), time));

    public string Banner(string experiment, int jobs, ExecutionOptions options) => $"Running {experiment} as plain subprocesses: {jobs} job(s)";

    public Task<RunStates> RefreshAsync(string runDirectory, TimeProvider time, CancellationToken cancellationToken) =>
        Task.FromResult(RunStates.Read(runDirectory, null));

    public Task<string?> CancelAsync(string runDirectory, TimeProvider time, Action<string> report, CancellationToken cancellationToken) =>
        Task.FromResult<string?>("subprocess runs end with their runner: stop it");

    public string? CannotFollow => "a subprocess run is followed by the expt run that started it";

    public string FollowedWhere => "as subprocesses";

    public Task<FollowResult> FollowAsync(string runDirectory, IRunObserver observer, TimeProvider time, TimeSpan retryBackoff, CancellationToken stop) =>
        Task.FromResult(new FollowResult(false, [], CannotFollow));

    public string? LiveJobsProblem(RunRecord run) => null;

    /// <summary>The local executor with jobs as plain processes, checking its own setting (<c>shell</c>: only <c>sh</c>).</summary>
    private sealed class SubprocessExecutor(LocalExecutor local) : IExecutor
    {
        // Recorded as local, as before this wrapper: its runs are local runs to every command.
        public string Name => local.Name;

        public IReadOnlyList<RunProblem> Validate(Plan plan, ExecutionOptions options)
        {
            var problems = local.Validate(plan, options).ToList();
            if (plan.Definition.Executor.TryGetValue("shell", out var shell) && shell?.ToString() is { } given && given != "sh")
            {
                problems.Add(RunProblem.ExecutorSetting("shell", $"expected sh; got '{given}'", plan.Definition.ExecutorLocations));
            }
            return problems;
        }

        public Task<IReadOnlyList<JobWork>> ReconcileAsync(RunSession session, IReadOnlyList<JobWork> unfinished, CancellationToken cancellationToken) =>
            local.ReconcileAsync(session, unfinished, cancellationToken);

        public Task<ExecutionResult> RunAsync(RunSession session, IReadOnlyList<JobWork> work, ExecutionOptions options, IRunObserver observer, RunStop stop) =>
            local.RunAsync(session, work, options, observer, stop);
    }

    /// <summary>Starts each attempt as <c>sh -c</c> with its output in the job directory; kills it outright.</summary>
    private sealed class PlainProcessLauncher(TimeProvider time) : IJobLauncher
    {
        public IJobHandle Launch(JobLaunch launch)
        {
            var info = new ProcessStartInfo("/bin/sh") { WorkingDirectory = launch.WorkingDirectory, UseShellExecute = false };
            // $0 and $1 are the log files, $2 the command: the shell opens the logs, so no output is copied through this process.
            foreach (var arg in new[] { "-c", "exec >\"$0\" 2>\"$1\" </dev/null; eval \"$2\"", Path.Combine(launch.JobDirectory, "stdout.log"), Path.Combine(launch.JobDirectory, "stderr.log"), launch.Command })
            {
                info.ArgumentList.Add(arg);
            }
            foreach (var (key, value) in launch.Environment) info.Environment[key] = value;
            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {launch.JobId}");
            return new Handle(process, time.GetUtcNow(), time);
        }

        public AdoptResult Adopt(JobLaunch launch) => AdoptResult.Nothing;
    }

    private sealed class Handle : IJobHandle
    {
        private readonly Process _process;

        public Handle(Process process, DateTimeOffset startedAt, TimeProvider time)
        {
            _process = process;
            // Kept: the executor samples a job's memory by its pid, also after the process object is gone.
            Pid = process.Id;
            StartedAt = startedAt;
            Completion = EndAsync(time);
        }

        public int Pid { get; }

        public DateTimeOffset StartedAt { get; }

        public Task<JobExit> Completion { get; }

        public Task TerminateAsync(TimeSpan grace)
        {
            _process.Kill(entireProcessTree: true);
            return Completion;
        }

        private async Task<JobExit> EndAsync(TimeProvider time)
        {
            await _process.WaitForExitAsync();
            var exit = new JobExit(_process.ExitCode, StartedAt, time.GetUtcNow(), Recorded: false);
            _process.Dispose();
            return exit;
        }
    }
}
