using System.Diagnostics;
using System.Text;

namespace Expt.Cli.Tests.Support;

/// <summary>The real <c>expt</c> as a child process, for tests that signal or kill it.</summary>
public sealed class ExptProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private ExptProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    public string Out { get { lock (_out) return _out.ToString(); } }

    public string Error { get { lock (_err) return _err.ToString(); } }

    public static ExptProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    /// <summary>Starts expt with <paramref name="environment"/> added to its environment.</summary>
    public static ExptProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        // Started through a one-line exec that restores SIGINT's default: a test host launched in the background of a
        // script inherits an ignored SIGINT, which its children would inherit too, and the SIGINT tests would test that.
        var psi = new ProcessStartInfo("python3")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
        // EXPT_CLI_EXE runs these tests against another build of expt: the native executable (docs/install.md).
        if (Environment.GetEnvironmentVariable("EXPT_CLI_EXE") is { Length: > 0 } exe)
        {
            psi.ArgumentList.Add(Path.GetFullPath(exe));
        }
        else
        {
            psi.ArgumentList.Add("dotnet");
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Expt.Cli.dll"));
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("EXPT_RESULTS");
        psi.Environment["CI"] = "true";
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        return new ExptProcess(Process.Start(psi)!);
    }

    /// <summary>Runs to completion.</summary>
    public static Task<(int Code, string Out, string Error)> RunAsync(string workingDirectory, TimeSpan timeout, params string[] args) =>
        RunAsync(workingDirectory, new Dictionary<string, string>(), timeout, args);

    /// <summary>Runs to completion with <paramref name="environment"/> added to its environment.</summary>
    public static async Task<(int Code, string Out, string Error)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] args)
    {
        using var p = Start(workingDirectory, environment, args);
        var code = await p.WaitAsync(timeout);
        return (code, p.Out, p.Error);
    }

    public void Signal(string signal) => Process.Start("kill", ["-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"expt did not exit within {timeout}.\nstdout:\n{Out}\nstderr:\n{Error}");
        }
        _process.WaitForExit(); // flush the async readers
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }
        _process.Dispose();
    }
}
