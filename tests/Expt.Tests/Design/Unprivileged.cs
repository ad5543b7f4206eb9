using System.Runtime.InteropServices;

namespace Expt.Tests.Design;

/// <summary>
/// Runs code with the file-system rights of an ordinary user, so that a folder with mode 000 is really unreadable even
/// when the tests run as root: on a thread of its own whose file-system uid is switched to <c>nobody</c> (setfsuid acts
/// on the calling thread only, and dropping it from 0 clears that thread's capability to bypass permissions).
/// </summary>
internal static class Unprivileged
{
    private const uint Nobody = 65534;

    // DllImport, not LibraryImport: the generated stub needs unsafe code, which this test project does not allow.
    [DllImport("libc", EntryPoint = "setfsuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetFsUid(uint uid);

    [DllImport("libc", EntryPoint = "geteuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEuid();

    public static T Run<T>(Func<T> action)
    {
        if (!OperatingSystem.IsLinux() || GetEuid() != 0) return action();
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            var previous = SetFsUid(Nobody);
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                SetFsUid((uint)previous);
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("the unprivileged action failed", failure);
        return result;
    }
}
