using System.Globalization;
using Expt.Internal;

namespace Expt.Cli.Commands;

/// <summary>
/// The warnings for files a command left unread (a FIFO in a job directory, a log over its size limit, a corrupt
/// Inspect log): one line each, escaped (the path is the job's to choose), and only the first few of a root where
/// thousands of jobs share the same problem.
/// </summary>
internal static class NotReadWarnings
{
    public const int MaxShown = 20;

    public static void Write(TextWriter error, IReadOnlyList<string> notRead)
    {
        foreach (var line in notRead.Take(MaxShown)) error.WriteLine($"warning: {VisibleText.Escape(line)}");
        if (notRead.Count > MaxShown)
        {
            error.WriteLine($"warning: … and {(notRead.Count - MaxShown).ToString(CultureInfo.InvariantCulture)} more file(s) not read");
        }
    }
}
