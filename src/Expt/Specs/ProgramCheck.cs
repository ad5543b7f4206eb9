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
    public static IEnumerable<string> Problems(string command, string workingDirectory, string? searchPath) =>
        Read(command, workingDirectory, searchPath).Select(t => t.Problem).OfType<string>();

    /// <summary>
    /// What <paramref name="command"/> starts in <paramref name="workingDirectory"/>, given the job's
    /// <paramref name="searchPath"/> (PATH): its program and, for an interpreter, its script, each found or not, or
    /// why the text does not tell (then nothing is a problem). Empty when the command starts nothing (only assignments).
    /// </summary>
    public static IReadOnlyList<CommandTarget> Read(string command, string workingDirectory, string? searchPath)
    {
        var words = ShellWords.Split(command);
        if (words is null)
        {
            return [CommandTarget.Unread(CommandTargetKind.Program, command.Trim(), "not one simple command (a list, pipeline, subshell, substitution, here-document or several lines)")];
        }
        var start = 0;
        while (start < words.Count && !words[start].IsQuoted && Assignment().IsMatch(words[start].Text))
        {
            // An assignment to PATH changes where the program is found.
            if (words[start].Text.StartsWith("PATH=", StringComparison.Ordinal))
            {
                return [CommandTarget.Unread(CommandTargetKind.Program, command.Trim(), "it sets PATH, which decides where the program is found")];
            }
            start++;
        }
        if (start >= words.Count) return [];
        var program = words[start].Text;
        if (!words[start].IsLiteral)
        {
            return [CommandTarget.Unread(CommandTargetKind.Program, program, "the program has a placeholder, an expansion or a glob")];
        }
        if (ShellOwn.Contains(program))
        {
            return [CommandTarget.Unread(CommandTargetKind.Program, command.Trim(), $"'{program}' is a shell keyword or builtin; what it runs is not read")];
        }
        var targets = new List<CommandTarget> { FindProgram(program, workingDirectory, searchPath) };
        var name = Path.GetFileName(program);
        var script = ScriptIndex(name, words, start + 1, out var unknown);
        if (unknown is not null) targets.Add(CommandTarget.Unread(CommandTargetKind.Script, command.Trim(), unknown));
        if (script is null) return targets;
        var scriptPath = words[script.Value].Text;
        if (!words[script.Value].IsLiteral)
        {
            targets.Add(CommandTarget.Unread(CommandTargetKind.Script, scriptPath, "the script has a placeholder, an expansion or a glob"));
            return targets;
        }
        var full = Path.GetFullPath(Path.Combine(workingDirectory, scriptPath));
        // A directory is a script too for python (its __main__.py); whether it is a good one is the interpreter's call.
        var isDirectory = Directory.Exists(full);
        var exists = isDirectory || File.Exists(full);
        var problem = exists ? null : $"script '{scriptPath}' does not exist{Suggest(scriptPath, full)}; {name} would look for {full}";
        targets.Add(new CommandTarget(CommandTargetKind.Script, scriptPath, full, exists, isDirectory, null, problem, null));
        return targets;
    }

    private static CommandTarget FindProgram(string program, string workingDirectory, string? searchPath)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(Path.Combine(workingDirectory, program));
            if (Directory.Exists(full))
            {
                return new(CommandTargetKind.Program, program, full, true, true, false, $"program '{program}' is a directory ({full})", null);
            }
            if (!File.Exists(full))
            {
                return new(CommandTargetKind.Program, program, full, false, false, null, $"program '{program}' does not exist{Suggest(program, full)}; resolved to {full}", null);
            }
            var executable = IsExecutable(full);
            return new(CommandTargetKind.Program, program, full, true, false, executable, executable ? null
                : $"program '{program}' is not executable ({full}); make it executable (chmod +x) or name its interpreter (e.g. sh {program})", null);
        }
        // Without PATH the shell falls back to a default of its own: nothing certain to say.
        if (searchPath is null) return CommandTarget.Unread(CommandTargetKind.Program, program, "PATH is not set, so the shell's own default decides where it is found");
        var directories = searchPath.Split(':').Select(d => d.Length == 0 ? workingDirectory : Path.Combine(workingDirectory, d)).ToList();
        var found = directories.Select(d => Path.Combine(d, program)).FirstOrDefault(f => File.Exists(f) && IsExecutable(f));
        if (found is not null) return new(CommandTargetKind.Program, program, Path.GetFullPath(found), true, false, true, null, null);
        // Only a near miss by spelling: with hundreds of programs on PATH, a prefix would suggest nonsense.
        var candidates = directories.Where(Directory.Exists).SelectMany(Entries).Where(e => e != program).Distinct(StringComparer.Ordinal);
        var closest = DidYouMean.Closest(program, candidates);
        var near = closest is not null && DidYouMean.Distance(program.ToLowerInvariant(), closest.ToLowerInvariant()) <= Math.Max(1, program.Length / 3);
        return new(CommandTargetKind.Program, program, null, false, false, null,
            $"program '{program}' is not on PATH{(near ? $" (did you mean '{closest}'?)" : "")}; the job would fail with 'command not found'", null);
    }

    /// <summary>
    /// The index of the script word after an interpreter's options; null when there is none, or when the options leave
    /// it unknown (then <paramref name="unknown"/> says why).
    /// </summary>
    private static int? ScriptIndex(string interpreter, IReadOnlyList<ShellWord> words, int first, out string? unknown)
    {
        unknown = null;
        var isPython = Python().IsMatch(interpreter);
        var isShell = Shell().IsMatch(interpreter);
        if (!isPython && !isShell && !OtherInterpreter().IsMatch(interpreter)) return null;
        for (var i = first; i < words.Count; i++)
        {
            var w = words[i].Text;
            if (!words[i].IsLiteral)
            {
                unknown = $"{interpreter}'s arguments have a placeholder, an expansion or a glob before the script";
                return null;
            }
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
            unknown = $"{interpreter} option '{w}' (inline code, a module, or an option not known to take no value) leaves the script unknown";
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
