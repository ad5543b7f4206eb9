using System.Text.RegularExpressions;

namespace Expt.Specs;

/// <summary>
/// Whether what a command starts exists, when its text alone decides it: the program (on PATH, or a path that is an
/// executable file) and, for an interpreter such as <c>python3</c> or <c>bash</c>, the script it is given, both
/// from the job's working directory. A command this cannot read for certain (a list or pipeline, an expansion or a
/// placeholder in the program or the script, a shell keyword or builtin such as <c>cd</c>, an interpreter option it
/// does not know) is not checked: a missing file is reported only when the job would certainly fail on it.
/// </summary>
internal static partial class ProgramCheck
{
    // Keywords and builtins of sh and bash: what they run is not a file (and 'cd', 'exec', 'time' change what follows).
    private static readonly HashSet<string> ShellOwn = new(StringComparer.Ordinal)
    {
        "!", "{", "}", "[[", "]]", "case", "coproc", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
        "select", "then", "time", "until", "while", ".", ":", "[", "alias", "bg", "break", "builtin", "cd", "command",
        "continue", "declare", "echo", "eval", "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash", "jobs",
        "kill", "let", "local", "logout", "printf", "pwd", "read", "readonly", "return", "set", "shift", "source", "test",
        "times", "trap", "true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "wait",
    };

    [GeneratedRegex(@"^(python[0-9.]*|pypy[0-9.]*)$")]
    private static partial Regex Python();

    [GeneratedRegex(@"^(sh|bash|dash|zsh|ksh|ash|mksh)$")]
    private static partial Regex Shell();

    [GeneratedRegex(@"^(Rscript|node|nodejs|perl|ruby|julia|php|lua)$")]
    private static partial Regex OtherInterpreter();

    [GeneratedRegex("^-[bBdEiIOPqsSuvx]+$")]
    private static partial Regex PythonFlags();

    [GeneratedRegex("^-[aefhkmnpuvxBCEHPT]+$")]
    private static partial Regex ShellFlags();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();

    /// <summary>Every certain problem with what <paramref name="command"/> starts in <paramref name="workingDirectory"/>, given the job's <paramref name="searchPath"/> (PATH).</summary>
    public static IEnumerable<string> Problems(string command, string workingDirectory, string? searchPath)
    {
        var words = ShellWords.Split(command);
        if (words is null) yield break;
        var start = 0;
        while (start < words.Count && !words[start].IsQuoted && Assignment().IsMatch(words[start].Text))
        {
            // An assignment to PATH changes where the program is found.
            if (words[start].Text.StartsWith("PATH=", StringComparison.Ordinal)) yield break;
            start++;
        }
        if (start >= words.Count || !words[start].IsLiteral || ShellOwn.Contains(words[start].Text)) yield break;
        var program = words[start].Text;
        if (ProgramProblem(program, workingDirectory, searchPath) is { } problem) yield return problem;

        var name = Path.GetFileName(program);
        var script = ScriptIndex(name, words, start + 1);
        if (script is null || !words[script.Value].IsLiteral) yield break;
        var scriptPath = words[script.Value].Text;
        var full = Path.GetFullPath(Path.Combine(workingDirectory, scriptPath));
        // A directory is a script too for python (its __main__.py); whether it is a good one is the interpreter's call.
        if (File.Exists(full) || Directory.Exists(full)) yield break;
        yield return $"script '{scriptPath}' does not exist{Suggest(scriptPath, full)}; {name} would look for {full}";
    }

    private static string? ProgramProblem(string program, string workingDirectory, string? searchPath)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(workingDirectory, program));
            if (Directory.Exists(full)) return $"program '{program}' is a directory ({full})";
            if (!File.Exists(full)) return $"program '{program}' does not exist{Suggest(program, full)}; resolved to {full}";
            return IsExecutable(full) ? null
                : $"program '{program}' is not executable ({full}); make it executable (chmod +x) or name its interpreter (e.g. sh {program})";
        }
        // Without PATH the shell falls back to a default of its own: nothing certain to say.
        if (searchPath is null) return null;
        var directories = searchPath.Split(':').Select(d => d.Length == 0 ? workingDirectory : Path.Combine(workingDirectory, d)).ToList();
        if (directories.Any(d => File.Exists(Path.Combine(d, program)) && IsExecutable(Path.Combine(d, program)))) return null;
        // Only a near miss by spelling: with hundreds of programs on PATH, a prefix would suggest nonsense.
        var candidates = directories.Where(Directory.Exists).SelectMany(Entries).Where(e => e != program).Distinct(StringComparer.Ordinal);
        var closest = DidYouMean.Closest(program, candidates);
        var near = closest is not null && DidYouMean.Distance(program.ToLowerInvariant(), closest.ToLowerInvariant()) <= Math.Max(1, program.Length / 3);
        return $"program '{program}' is not on PATH{(near ? $" (did you mean '{closest}'?)" : "")}; the job would fail with 'command not found'";
    }

    /// <summary>The index of the script word after an interpreter's options; null when there is none or the options are not certain.</summary>
    private static int? ScriptIndex(string interpreter, IReadOnlyList<ShellWord> words, int first)
    {
        var isPython = Python().IsMatch(interpreter);
        var isShell = Shell().IsMatch(interpreter);
        if (!isPython && !isShell && !OtherInterpreter().IsMatch(interpreter)) return null;
        for (var i = first; i < words.Count; i++)
        {
            var w = words[i].Text;
            if (!words[i].IsLiteral) return null;
            if (w == "--") return i + 1 < words.Count ? i + 1 : null;
            if (!w.StartsWith('-') || w == "-")
            {
                // '-' is the standard input: no file to check.
                return w == "-" ? null : i;
            }
            if (isPython && PythonFlags().IsMatch(w)) continue;
            if (isPython && w is "-W" or "-X") { i++; continue; }
            if (isPython && (w.StartsWith("-W", StringComparison.Ordinal) || w.StartsWith("-X", StringComparison.Ordinal)) && w.Length > 2) continue;
            if (isShell && ShellFlags().IsMatch(w)) continue;
            if (isShell && w is "-o" or "+o") { i++; continue; }
            if (interpreter == "Rscript" && w.StartsWith("--", StringComparison.Ordinal) && !w.StartsWith("--e", StringComparison.Ordinal)) continue;
            // -c, -m, -e and every option not known to take no value: the script, if any, cannot be told.
            return null;
        }
        return null;
    }

    private static bool IsExecutable(string file)
    {
        try
        {
            // Jobs run under sh, on Unix; elsewhere the bit does not exist and a file found is taken as runnable.
            return OperatingSystem.IsWindows()
                || (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>" (did you mean 'dir/train.py'?)" from the names beside the missing file, written the way the spec wrote it.</summary>
    private static string Suggest(string written, string full)
    {
        var directory = Path.GetDirectoryName(full);
        if (directory is null || !Directory.Exists(directory)) return "";
        var closest = DidYouMean.Closest(Path.GetFileName(full), Entries(directory));
        if (closest is null) return "";
        var slash = written.LastIndexOf('/');
        return $" (did you mean '{(slash < 0 ? "" : written[..(slash + 1)])}{closest}'?)";
    }

    private static IEnumerable<string> Entries(string directory)
    {
        try
        {
            // Bounded: a suggestion is worth a look at a directory, not a scan of a huge one.
            return Directory.EnumerateFileSystemEntries(directory).Take(10_000).Select(e => Path.GetFileName(e)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
