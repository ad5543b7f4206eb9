using System.Text;

namespace Expt.Cli.Scaffolding;

/// <summary>
/// Writes a template's files into a folder, all or none: nothing is written when any of them exists, each file goes
/// through a temp file and a rename that refuses to replace (so a file made meanwhile is not overwritten either),
/// and a failure part-way removes what was written, the folder too when it was made here.
/// </summary>
internal static class Scaffolder
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="files"/> into <paramref name="folder"/>; returns the problem, or null when every file was written.</summary>
    public static string? Write(string folder, IReadOnlyList<TemplateFile> files)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(files);
        if (File.Exists(folder)) return $"{folder} is a file, not a folder";
        var existing = files.Select(f => Path.Combine(folder, f.Name)).Where(Exists).ToList();
        if (existing.Count > 0) return $"{string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : "")}; expt init never overwrites a file: choose another NAME or move them away";

        var created = !Directory.Exists(folder);
        var written = new List<string>();
        try
        {
            Directory.CreateDirectory(folder);
            foreach (var file in files) written.Add(WriteNew(folder, file));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var path in written) TryDelete(() => File.Delete(path));
            if (created) TryDelete(() => Directory.Delete(folder));
            return $"could not write into {folder}: {e.Message} (nothing was left behind)";
        }
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static string WriteNew(string folder, TemplateFile file)
    {
        var path = Path.Combine(folder, file.Name);
        var temp = Path.Combine(folder, $".{file.Name}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, file.Text, Utf8);
            if (file.Executable && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            File.Move(temp, path, overwrite: false);
            return path;
        }
        finally
        {
            TryDelete(() => File.Delete(temp));
        }
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
