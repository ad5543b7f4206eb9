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
        var ids = text.Split(',', StringSplitOptions.TrimEntries);
        if (ids.Any(id => !IsGpuId(id)) || ids.Distinct(StringComparer.Ordinal).Count() != ids.Length)
        {
            problem = $"--gpus '{text}': expected distinct GPU ids separated by commas: indices (0,1,2,3) or UUIDs (GPU-…, MIG-…) as CUDA_VISIBLE_DEVICES takes them, or none";
            return null;
        }
        return ids;
    }

    /// <summary>An index (<c>0</c>) or a UUID (<c>GPU-8f6e…</c>, <c>MIG-…</c>), as CUDA_VISIBLE_DEVICES accepts them.</summary>
    private static bool IsGpuId(string id) =>
        id.Length > 0 && (id.All(char.IsAsciiDigit)
            || (id.StartsWith("GPU-", StringComparison.Ordinal) || id.StartsWith("MIG-", StringComparison.Ordinal)) && id.Length > 4 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/'));
}
