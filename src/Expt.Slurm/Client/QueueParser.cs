using Expt.Internal;

namespace Expt.Slurm.Client;

/// <summary>Reads the output of <c>squeue -O 'JobArrayID:|,State:|,Reason:|,JobID:|,RestartCnt:|,NodeList:|'</c> and <c>scontrol -o show</c>.</summary>
internal static partial class QueueParser
{
    /// <summary>squeue's message for ids it does not know (any more): "not known", never "failed".</summary>
    public const string InvalidJobId = "Invalid job id specified";

    public static QueueSnapshot Parse(CommandResult result)
    {
        if (!result.Success)
        {
            // Every asked id was unknown (purged, or never existed): an answer, not an outage.
            if (result.Stderr.Contains(InvalidJobId, StringComparison.OrdinalIgnoreCase)) return QueueSnapshot.Empty;
            var error = result.Stderr.Trim();
            return new QueueSnapshot(new Dictionary<string, QueueEntry>(), error.Length > 0 ? error : $"squeue exited {result.ExitCode}");
        }
        var entries = new Dictionary<string, QueueEntry>(StringComparer.Ordinal);
        foreach (var raw in result.Stdout.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var f = line.Split('|');
            if (f.Length < 3) continue;
            var state = f[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            var rawId = f.Length > 3 && f[3].Length > 0 ? f[3] : null;
            var restarts = f.Length > 4 && int.TryParse(f[4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var r) ? r : 0;
            var node = f.Length > 5 && f[5].Length > 0 && f[5] != "(null)" ? f[5] : null;
            entries[f[0]] = new QueueEntry(f[0], state.ToUpperInvariant(), f[2], rawId, node, restarts);
        }
        return new QueueSnapshot(entries, null);
    }

    /// <summary>
    /// Reads <c>squeue -O 'ArrayJobID:|,Command:|'</c>: the array (or job) id of each job whose script lies in
    /// <paramref name="folder"/>. The command is the last field, so a <c>|</c> inside a path does not cut it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseScripts(string text, string folder)
    {
        ArgumentNullException.ThrowIfNull(text);
        var prefix = Path.TrimEndingDirectorySeparator(folder) + "/";
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0) continue;
            var id = line[..bar].Trim();
            var command = line[(bar + 1)..];
            if (command.EndsWith('|')) command = command[..^1];
            if (id.Length > 0 && id.All(char.IsAsciiDigit) && command.StartsWith(prefix, StringComparison.Ordinal)) scripts[id] = command;
        }
        return scripts;
    }

    /// <summary>
    /// Parses <c>scontrol -o show job</c> (<c>Key=Value Key=Value</c> on one line; the first record wins) and
    /// <c>scontrol show config</c> (<c>Key = Value</c> per line).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ParseKeyValues(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var records = 0;
        foreach (var line in text.Split('\n'))
        {
            var config = ConfigLine().Match(line);
            if (config.Success)
            {
                result.TryAdd(config.Groups[1].Value, config.Groups[2].Value.Trim());
                continue;
            }
            var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t.IndexOf('=', StringComparison.Ordinal) > 0).ToList();
            if (tokens.Count == 0 || records++ > 0) continue;
            foreach (var token in tokens)
            {
                var eq = token.IndexOf('=', StringComparison.Ordinal);
                result.TryAdd(token[..eq], token[(eq + 1)..]);
            }
        }
        return result;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\S+)\s+=\s(.*)$")]
    private static partial System.Text.RegularExpressions.Regex ConfigLine();
}
