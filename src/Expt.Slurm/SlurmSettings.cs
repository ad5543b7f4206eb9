using System.Globalization;
using System.Text.Json.Nodes;
using Expt.Execution;
using Expt.Specs;

namespace Expt.Slurm;

/// <summary>
/// The spec's <c>executor:</c> block as the SLURM executor reads it. Cluster-wide defaults here; a stage's
/// <c>resources</c> and <c>timeout</c> override <c>cpus</c>, <c>mem</c>, <c>gpus</c> and <c>time</c> per stage.
/// </summary>
public sealed record SlurmSettings
{
    /// <summary>The poll interval when none is set: the queue is asked once per interval for all jobs.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(10);

    /// <summary><c>--partition</c>.</summary>
    public string? Partition { get; init; }

    /// <summary><c>--account</c>.</summary>
    public string? Account { get; init; }

    /// <summary><c>--qos</c>.</summary>
    public string? Qos { get; init; }

    /// <summary><c>--constraint</c>.</summary>
    public string? Constraint { get; init; }

    /// <summary>Default <c>--time</c> of a job whose stage sets neither <c>resources.time</c> nor <c>timeout</c>.</summary>
    public TimeSpan? Time { get; init; }

    /// <summary>Default <c>--mem</c> in MiB.</summary>
    public long? MemoryMb { get; init; }

    /// <summary>Default <c>--cpus-per-task</c>.</summary>
    public int? Cpus { get; init; }

    /// <summary>Default GPUs per job (<c>--gres=gpu:N</c>).</summary>
    public int? Gpus { get; init; }

    /// <summary>Most tasks of one array running at once (<c>--array=…%N</c>).</summary>
    public int? ArrayLimit { get; init; }

    /// <summary>Extra <c>sbatch</c> options, one per entry, written as <c>#SBATCH</c> lines.</summary>
    public IReadOnlyList<string> ExtraOptions { get; init; } = [];

    /// <summary>How often a follower asks the queue.</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>
    /// Reads the block; every problem is added to <paramref name="problems"/> about its field <c>executor.KEY</c>,
    /// located where <paramref name="locations"/> (by KEY) says the spec sets it.
    /// </summary>
    public static SlurmSettings Parse(IReadOnlyDictionary<string, JsonNode?> block, ICollection<RunProblem> problems, IReadOnlyDictionary<string, SourceLocation>? locations = null)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(problems);
        var report = new Report((key, message) => problems.Add(RunProblem.ExecutorSetting(key, message, locations)));
        var s = new SlurmSettings();
        foreach (var (key, value) in block)
        {
            if (value is null) continue;
            switch (key)
            {
                case "type":
                    break;
                case "partition": s = s with { Partition = Word(key, value, report) }; break;
                case "account": s = s with { Account = Word(key, value, report) }; break;
                case "qos": s = s with { Qos = Word(key, value, report) }; break;
                case "constraint": s = s with { Constraint = Text(key, value, report) }; break;
                case "time": s = s with { Time = Duration(key, value, report) }; break;
                case "poll_interval":
                    var poll = Duration(key, value, report);
                    if (poll is { } p && p < TimeSpan.FromMilliseconds(100)) report("poll_interval", $"{Durations.Format(p)} is too short; at least 0.1s");
                    else if (poll is not null) s = s with { PollInterval = poll.Value };
                    break;
                case "mem":
                    var mem = Durations.TryParseMegabytes(Scalar(value));
                    if (mem is null or 0) report("mem", $"expected a size such as 16G or 512M; got '{Scalar(value)}'");
                    else s = s with { MemoryMb = mem };
                    break;
                case "cpus": s = s with { Cpus = Positive(key, value, report) }; break;
                case "gpus": s = s with { Gpus = Positive(key, value, report, allowZero: true) }; break;
                case "array_limit": s = s with { ArrayLimit = Positive(key, value, report) }; break;
                case "sbatch": s = s with { ExtraOptions = Options(value, report) }; break;
                default:
                    report(key, "not a SLURM executor setting");
                    break;
            }
        }
        return s;
    }

    private static string Scalar(JsonNode node) => node is JsonValue v ? (v.TryGetValue<string>(out var text) ? text : v.ToJsonString()) : node.ToJsonString();

    private static string? Text(string key, JsonNode value, Report report)
    {
        var text = Scalar(value).Trim();
        if (text.Length > 0 && !text.Any(char.IsControl)) return text;
        report(key, "expected a non-empty line of text");
        return null;
    }

    private static string? Word(string key, JsonNode value, Report report)
    {
        var text = Text(key, value, report);
        if (text is null || !text.Any(char.IsWhiteSpace)) return text;
        report(key, $"'{text}' contains white space");
        return null;
    }

    private static TimeSpan? Duration(string key, JsonNode value, Report report)
    {
        var d = Durations.TryParse(Scalar(value));
        if (d is { } ok && ok > TimeSpan.Zero) return ok;
        report(key, $"expected a duration such as 90s, 30m, 2h or 01:30:00; got '{Scalar(value)}'");
        return null;
    }

    private static int? Positive(string key, JsonNode value, Report report, bool allowZero = false)
    {
        if (int.TryParse(Scalar(value), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (n > 0 || (allowZero && n == 0))) return n;
        report(key, $"expected a whole number {(allowZero ? "of 0" : "of 1")} or more; got '{Scalar(value)}'");
        return null;
    }

    private static List<string> Options(JsonNode value, Report report)
    {
        // A list keeps each option whole (values may contain spaces); a string is split on white space.
        var items = value is JsonArray array
            ? array.Select(a => a is null ? "" : Scalar(a)).ToList()
            : Scalar(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToList();
        var result = new List<string>();
        foreach (var item in items)
        {
            if (!item.StartsWith('-') || item.Any(c => c is '\n' or '\r'))
            {
                report("sbatch", $"'{item}' is not an sbatch option (expected e.g. --exclusive or --mail-type=END)");
                continue;
            }
            if (IsReserved(item))
            {
                report("sbatch", $"'{item}' is set by Expt (arrays, dependencies and log files follow the plan and the run directory)");
                continue;
            }
            result.Add(item);
        }
        return result;
    }

    private static readonly string[] ReservedLong = ["--array", "--dependency", "--output", "--error", "--chdir", "--kill-on-invalid-dep", "--parsable", "--wrap"];
    private static readonly string[] ReservedShort = ["-a", "-d", "-o", "-e", "-D"];

    private static bool IsReserved(string option)
    {
        var name = option.Split('=', 2)[0];
        return ReservedLong.Any(r => name == r) || ReservedShort.Any(r => option.StartsWith(r, StringComparison.Ordinal) && !option.StartsWith("--", StringComparison.Ordinal));
    }

    /// <summary>Adds the problem <c>message</c> about <c>executor.KEY</c>.</summary>
    private delegate void Report(string key, string message);
}
