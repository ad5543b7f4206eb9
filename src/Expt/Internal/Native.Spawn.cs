using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Expt.Internal;

/// <summary>
/// Starting a child in a session of its own and reaping it ourselves. System.Diagnostics.Process reaps the
/// children it starts with a plain waitpid, which throws away the kernel's resource accounting of them.
/// </summary>
internal static partial class Native
{
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80; // glibc >= 2.26, musl
    private const int ORdOnly = 0x0;
    private const int OWrOnly = 0x1;
    private const int OCreat = 0x40;
    private const int OAppend = 0x400;
    private const int EINTR = 4;

    // Opaque libc structures; generously sized (glibc: 336 and 80 bytes, sigset_t 128).
    private const int AttrSize = 1024;
    private const int FileActionsSize = 1024;
    private const int SigSetSize = 256;

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int PosixSpawn(out int pid, string path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnp", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int PosixSpawnP(out int pid, string file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static unsafe partial int SpawnAttrInit(void* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static unsafe partial int SpawnAttrDestroy(void* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static unsafe partial int SpawnAttrSetFlags(void* attr, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static unsafe partial int SpawnAttrSetSigMask(void* attr, void* set);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static unsafe partial int SpawnAttrSetSigDefault(void* attr, void* set);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static unsafe partial int SigEmptySet(void* set);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static unsafe partial int SigFillSet(void* set);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static unsafe partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static unsafe partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int FileActionsAddOpen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int FileActionsAddChdir(void* actions, string path);

    [LibraryImport("libc", EntryPoint = "wait4", SetLastError = true)]
    private static unsafe partial int Wait4Native(int pid, out int status, int options, void* rusage);

    /// <summary>
    /// Starts <c>/bin/sh SCRIPT</c> as the leader of a new session and process group, in <paramref name="directory"/>,
    /// with stdin and stdout on /dev/null, stderr appended to <paramref name="stderrPath"/>, every signal at its
    /// default disposition and none blocked (whatever the runner ignores or blocks), and exactly
    /// <paramref name="environment"/> (NAME=value). Returns its pid; it is ours to reap with <see cref="Reap"/>.
    /// </summary>
    /// <exception cref="Win32Exception">The system refused to start it (the message says why).</exception>
    public static unsafe int SpawnSession(string script, string directory, string stderrPath, IReadOnlyList<string> environment)
    {
        var attr = NativeMemory.AllocZeroed(AttrSize);
        var actions = NativeMemory.AllocZeroed(FileActionsSize);
        var signals = NativeMemory.AllocZeroed(SigSetSize);
        var argv = Strings(["sh", script]);
        var setsidArgv = Strings(["setsid", "/bin/sh", script]);
        var envp = Strings(environment);
        try
        {
            Check(SpawnAttrInit(attr), "posix_spawnattr_init");
            Check(FileActionsInit(actions), "posix_spawn_file_actions_init");
            _ = SigEmptySet(signals);
            Check(SpawnAttrSetSigMask(attr, signals), "posix_spawnattr_setsigmask");
            // .NET ignores SIGPIPE; a job must get the defaults a shell would give it, or `producer | head` never ends.
            _ = SigFillSet(signals);
            // sigfillset leaves out the signals libc keeps for itself (32, 33), which posix_spawn then sets to ignored
            // in the child, and ignored they would stay in every process of the job: signals 1-64 are set by hand.
            *(ulong*)signals = ulong.MaxValue;
            Check(SpawnAttrSetSigDefault(attr, signals), "posix_spawnattr_setsigdefault");
            Check(FileActionsAddOpen(actions, 0, "/dev/null", ORdOnly, 0), "posix_spawn_file_actions_addopen");
            // Never the runner's stdout/stderr: a pipe reading them (`expt run | tee`) would stay open as long as any job ran.
            Check(FileActionsAddOpen(actions, 1, "/dev/null", OWrOnly, 0), "posix_spawn_file_actions_addopen");
            Check(FileActionsAddOpen(actions, 2, stderrPath, OWrOnly | OCreat | OAppend, 0x1A4), "posix_spawn_file_actions_addopen");
            AddChdir(actions, directory);
            int pid;
            int error;
            if (SpawnAttrSetFlags(attr, PosixSpawnSetSigDef | PosixSpawnSetSigMask | PosixSpawnSetSid) == 0)
            {
                error = PosixSpawn(out pid, "/bin/sh", actions, attr, argv, envp);
            }
            else
            {
                // A libc without POSIX_SPAWN_SETSID: setsid(1) makes the new session, then execs sh in the same process.
                Check(SpawnAttrSetFlags(attr, PosixSpawnSetSigDef | PosixSpawnSetSigMask), "posix_spawnattr_setflags");
                error = PosixSpawnP(out pid, "setsid", actions, attr, setsidArgv, envp);
            }
            Check(error, "could not start /bin/sh " + script);
            return pid;
        }
        finally
        {
            FileActionsDestroy(actions);
            SpawnAttrDestroy(attr);
            NativeMemory.Free(signals);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            Free(argv);
            Free(setsidArgv);
            Free(envp);
        }
    }

    /// <summary>
    /// Blocks until child <paramref name="pid"/> ends, and reaps it: its wait status and ru_maxrss, the largest
    /// resident memory in KiB of the child or of any descendant reaped inside its tree (the kernel keeps that
    /// maximum for every process that waits for its children). Null when it is not, or no longer, ours to reap.
    /// </summary>
    public static unsafe (int Status, long MaxRssKb)? Reap(int pid)
    {
        var rusage = stackalloc byte[512];
        while (true)
        {
            new Span<byte>(rusage, 512).Clear();
            var reaped = Wait4Native(pid, out var status, 0, rusage);
            if (reaped == pid)
            {
                // struct rusage: two struct timeval, then longs of which ru_maxrss is the first.
                var maxRss = IntPtr.Size == 8 ? *(long*)(rusage + 32) : *(int*)(rusage + 16);
                return (status, maxRss);
            }
            if (reaped < 0 && Marshal.GetLastPInvokeError() == EINTR) continue;
            return null;
        }
    }

    /// <summary>The exit code a shell would report for a wait status: the code, or 128+N when signal N ended it.</summary>
    public static int ExitCode(int waitStatus) => (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F);

    private static unsafe void AddChdir(void* actions, string directory)
    {
        try
        {
            Check(FileActionsAddChdir(actions, directory), "posix_spawn_file_actions_addchdir_np");
        }
        catch (EntryPointNotFoundException)
        {
            // A libc before 2.29: the wrapper starts in the runner's directory, and changes to the job's working directory itself.
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0) throw new Win32Exception(error, $"{what}: {new Win32Exception(error).Message}");
    }

    private static unsafe byte** Strings(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++) array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(values[i]);
        return array;
    }

    private static unsafe void Free(byte** array)
    {
        for (var p = array; *p != null; p++) Marshal.FreeCoTaskMem((nint)(*p));
        NativeMemory.Free(array);
    }
}
