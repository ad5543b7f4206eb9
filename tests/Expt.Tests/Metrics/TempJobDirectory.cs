using System.IO.Compression;
using System.Text;

namespace Expt.Tests.Metrics;

/// <summary>A job directory in the temp folder, deleted when disposed.</summary>
internal sealed class TempJobDirectory : IDisposable
{
    public TempJobDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "expt-metrics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Path, relative);

    public string Write(string relative, string content)
    {
        string full = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return full;
    }

    public string CopyFixture(string fixture, string relative)
    {
        string full = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.Copy(Fixtures.PathOf(fixture), full);
        return full;
    }

    /// <summary>Writes a zip whose entries are the given names and JSON texts.</summary>
    public string WriteZip(string relative, params (string Name, string Content)[] entries)
    {
        string full = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        using var zip = ZipFile.Open(full, ZipArchiveMode.Create);
        foreach ((string name, string content) in entries)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
            writer.Write(content);
        }

        return full;
    }

    /// <summary>Copies a real .eval fixture, leaving out entries, e.g. header.json to fake a running eval.</summary>
    public string CopyFixtureWithout(string fixture, string relative, params string[] leaveOut)
    {
        string full = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        using ZipArchive source = ZipFile.OpenRead(Fixtures.PathOf(fixture));
        using ZipArchive target = ZipFile.Open(full, ZipArchiveMode.Create);
        foreach (ZipArchiveEntry entry in source.Entries)
        {
            if (Array.IndexOf(leaveOut, entry.FullName) >= 0)
            {
                continue;
            }

            using Stream from = entry.Open();
            using Stream to = target.CreateEntry(entry.FullName).Open();
            from.CopyTo(to);
        }

        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }
    }
}
