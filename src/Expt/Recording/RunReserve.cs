using System.Security.Cryptography;

namespace Expt.Recording;

/// <summary>
/// Space set aside in the run directory (<c>.expt/reserve</c>) while a runner works on the run. Jobs write to the same
/// disk as the run's records, so a sweep can fill it; when a write of the records then fails for lack of space, the
/// runner lets its running jobs end and gives this space back to record how the run ended (status files, run.log, the
/// manifest). Taking it when the run is created or resumed also refuses, before anything runs, a disk too full for that.
/// </summary>
internal static class RunReserve
{
    private const long Base = 256 * 1024;
    private const long PerJob = 1024;
    private const long Most = 64 * 1024 * 1024;

    /// <summary>The reserve file of a run directory.</summary>
    public static string PathFor(string runDir) => Path.Combine(runDir, ".expt", "reserve");

    /// <summary>
    /// Enough for the end of a run of <paramref name="jobs"/> jobs: a manifest rewritten beside the old one (an entry is a
    /// few hundred bytes) and the status files and log lines of the jobs that ended meanwhile.
    /// </summary>
    public static long SizeFor(int jobs) => Math.Min(Most, Base + PerJob * jobs);

    /// <summary>Writes the reserve (kept as is when a killed runner left one big enough); throws when the disk has no room for it.</summary>
    public static void Take(string runDir, long bytes)
    {
        var path = PathFor(runDir);
        if (File.Exists(path) && new FileInfo(path).Length >= bytes) return;
        try
        {
            // Random bytes, not zeros: a compressing file system would store zeros in no space at all.
            var chunk = new byte[64 * 1024];
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            for (var written = 0L; written < bytes; written += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                stream.Write(chunk, 0, (int)Math.Min(chunk.Length, bytes - written));
            }
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
            GiveBack(runDir);
            throw;
        }
    }

    /// <summary>Deletes the reserve; a failure leaves it for the next runner to reuse.</summary>
    public static void GiveBack(string runDir)
    {
        try
        {
            File.Delete(PathFor(runDir));
        }
        catch (Exception e) when (WriteFault.IsWriteFailure(e))
        {
        }
    }
}
