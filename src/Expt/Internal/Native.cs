using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Expt.Internal;

/// <summary>The few POSIX calls .NET does not expose.</summary>
internal static partial class Native
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends a signal; a negative pid addresses a process group. False when there is no such process.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;

    // statx rather than stat: its struct has one layout on every Linux architecture (stx_mode is the u16 at offset 28
    // of 256 bytes), where struct stat differs between x86-64 and arm64.
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>
    /// What is at <paramref name="path"/> itself (a symbolic link is not followed), or null when the system cannot
    /// say (not Linux, or a libc without statx).
    /// </summary>
    public static unsafe FileKind? KindOf(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var buffer = stackalloc byte[256];
        try
        {
            if (StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                // Any other failure (a sandbox refusing statx, EACCES, ELOOP) says nothing about the file: let the caller look another way.
                return Marshal.GetLastPInvokeError() is ENOENT or ENOTDIR ? FileKind.Missing : null;
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        return (Unsafe.ReadUnaligned<ushort>(buffer + 28) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
    }
}

/// <summary>What a path names, without following a symbolic link.</summary>
internal enum FileKind
{
    /// <summary>Nothing (or a parent is not a directory).</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (whatever it points at).</summary>
    SymbolicLink,

    /// <summary>A device, FIFO or socket, or something that could not be examined.</summary>
    Other,
}
