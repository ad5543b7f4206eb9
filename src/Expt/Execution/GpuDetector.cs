using System.Text.RegularExpressions;
using Expt.Internal;

namespace Expt.Execution;

/// <summary>Finds this machine's GPUs with <c>nvidia-smi -L</c>; none when it is absent or fails.</summary>
public static partial class GpuDetector
{
    [GeneratedRegex(@"^GPU (\d+):", RegexOptions.Multiline)]
    private static partial Regex GpuLine();

    /// <summary>The GPU indices nvidia-smi lists.</summary>
    public static async Task<IReadOnlyList<string>> DetectAsync(ICommandRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var result = await runner.RunAsync("nvidia-smi", ["-L"], null, cancellationToken).ConfigureAwait(false);
        return result.Success ? Parse(result.Stdout) : [];
    }

    /// <summary>Parses <c>nvidia-smi -L</c> output.</summary>
    public static IReadOnlyList<string> Parse(string text) => GpuLine().Matches(text).Select(m => m.Groups[1].Value).ToList();

    /// <summary>Parses a <c>--gpus</c> value: <c>0,1,3</c>, <c>none</c> or empty.</summary>
    public static IReadOnlyList<string>? ParseOption(string text, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        problem = null;
        if (text is "" or "none") return [];
        var ids = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (ids.Any(id => !id.All(char.IsAsciiLetterOrDigit) && !id.Contains('-', StringComparison.Ordinal)) || ids.Distinct().Count() != ids.Length)
        {
            problem = $"--gpus '{text}': expected distinct GPU ids separated by commas, e.g. 0,1,2,3";
            return null;
        }
        return ids;
    }
}
