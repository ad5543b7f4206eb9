using System.Diagnostics;

namespace Expt.Testing;

/// <summary>
/// Real named pipes (<c>mkfifo</c>) for the tests of readers that must never open one, and a bound on the code under
/// test so that a reader that does open one fails its test instead of hanging the run.
/// </summary>
public static class Fifo
{
    /// <summary>How long a read that should take milliseconds may take before it counts as blocked.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Makes a FIFO at <paramref name="path"/> (and its folder); returns the path.</summary>
    public static string Make(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = mkfifo.StandardError.ReadToEnd();
        mkfifo.WaitForExit();
        if (mkfifo.ExitCode != 0) throw new InvalidOperationException($"mkfifo {path} failed: {error}");
        return path;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a thread of its own and returns its result; throws when it has not returned
    /// within <see cref="Bound"/>, after opening each of <paramref name="fifos"/> for writing so that a reader blocked
    /// on one is let go.
    /// </summary>
    public static T Within<T>(Func<T> read, params string[] fifos)
    {
        var task = Task.Factory.StartNew(read, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (task.Wait(Bound)) return task.Result;
        foreach (var fifo in fifos) Release(fifo);
        throw new TimeoutException($"the read did not return within {Bound}: it is blocked, most likely opening a FIFO");
    }

    // Opening the write end completes a reader's blocked open; it blocks itself until a reader is there, hence its own thread.
    private static void Release(string fifo) =>
        new Thread(() =>
        {
            try
            {
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            }
            catch (IOException)
            {
            }
        }) { IsBackground = true }.Start();
}
