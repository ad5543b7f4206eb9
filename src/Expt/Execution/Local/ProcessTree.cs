using System.Globalization;
using Expt.Internal;

namespace Expt.Execution.Local;

/// <summary>One process as /proc shows it.</summary>
internal sealed record ProcInfo(int Pid, char State, int ParentPid, int ProcessGroup, int Session, long UserTicks, long SystemTicks, long StartTicks, long RssPages);

/// <summary>
/// Reads /proc to find a job's whole process tree: everything in its session (the wrapper is a session leader)
/// plus descendants that left it, so that cancelling a job leaves no orphan behind.
/// </summary>
internal static class ProcessTree
{
    public static ProcInfo? Read(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var close = text.LastIndexOf(')');
            var f = text[(close + 2)..].Split(' ');
            long L(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
            // Fields after "pid (comm) ": state=0 ppid=1 pgrp=2 session=3 ... utime=11 stime=12 ... starttime=19 vsize=20 rss=21
            return new ProcInfo(pid, f[0][0], (int)L(1), (int)L(2), (int)L(3), L(11), L(12), L(19), L(21));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public static IEnumerable<ProcInfo> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            var info = Read(pid);
            if (info is not null) yield return info;
        }
    }

    /// <summary>Alive means present and not a zombie (PID 1 may reap late).</summary>
    public static bool IsAlive(int pid) => Read(pid) is { State: not ('Z' or 'X') };

    public static string[] Arguments(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>The live processes of the tree rooted at <paramref name="leader"/>: its session and its descendants.</summary>
    public static HashSet<int> Members(int leader, IReadOnlyCollection<int>? known = null) =>
        Members(leader, All().Where(p => p.State is not ('Z' or 'X')).ToList(), known);

    /// <summary>Members computed from an existing snapshot of the live processes.</summary>
    public static HashSet<int> Members(int leader, IReadOnlyList<ProcInfo> all, IReadOnlyCollection<int>? known = null)
    {
        var members = new HashSet<int>();
        foreach (var p in all)
        {
            if (p.Pid == leader || p.Session == leader || p.ProcessGroup == leader) members.Add(p.Pid);
        }
        if (known is not null)
        {
            foreach (var k in known)
            {
                if (all.Any(p => p.Pid == k)) members.Add(k);
            }
        }
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var p in all)
            {
                if (!members.Contains(p.Pid) && members.Contains(p.ParentPid))
                {
                    members.Add(p.Pid);
                    changed = true;
                }
            }
        }
        return members;
    }

    /// <summary>Signals the whole tree; returns the members signalled.</summary>
    public static HashSet<int> Signal(int leader, int signal, IReadOnlyCollection<int>? known = null)
    {
        var members = Members(leader, known);
        Native.Kill(-leader, signal);
        foreach (var pid in members) Native.Kill(pid, signal);
        return members;
    }

    /// <summary>Processes whose command line mentions <paramref name="marker"/> (a job's wrapper path).</summary>
    public static IEnumerable<int> FindByCommandLine(string marker) =>
        All().Where(p => p.State is not ('Z' or 'X') && CommandLine(p.Pid).Contains(marker, StringComparison.Ordinal)).Select(p => p.Pid);
}
