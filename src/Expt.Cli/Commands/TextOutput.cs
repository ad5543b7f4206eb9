using Expt.Internal;

namespace Expt.Cli.Commands;

/// <summary>Where a command's text goes: stdout, or with <c>-o FILE</c> a file written atomically (never half a file).</summary>
internal static class TextOutput
{
    /// <summary>Writes <paramref name="text"/>; with a file, says <paramref name="written"/> on stderr. Exit 2 when the file cannot be written.</summary>
    public static int Write(CliContext context, string text, string? file, Func<string> written)
    {
        if (file is null)
        {
            context.Out.Write(text);
            return ExitCodes.Success;
        }
        // A missing folder is more likely a typo than a wish to create it.
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is not null && !Directory.Exists(folder))
        {
            context.Error.WriteLine($"error: cannot write {file}: the folder {folder} does not exist");
            return ExitCodes.InvalidInput;
        }
        try
        {
            AtomicFile.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: cannot write {file}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        context.Error.WriteLine($"{written()} written to {file}");
        return ExitCodes.Success;
    }
}
