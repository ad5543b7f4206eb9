using System.CommandLine;
using System.Globalization;

namespace Expt.Cli.Commands;

/// <summary>
/// Parsers for numeric options that say what was expected in words: the parser's own message names the CLR type
/// (<c>System.Nullable`1[System.Int32]</c>), which means nothing to whoever typed <c>--limit abc</c>.
/// </summary>
internal static class NumberOptions
{
    // Longer than anyone waits, and far below what a TimeSpan holds (TimeSpan.FromSeconds overflows near 9.2e11).
    private const double MaxSeconds = 1e9;

    /// <summary>Parses the option's value as a whole number (range checks stay with the command).</summary>
    public static Option<int?> WholeNumber(Option<int?> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
            result.AddError($"{option.Name} '{text}': expected a whole number");
            return null;
        };
        return option;
    }

    /// <summary>Parses the option's value as a finite number of seconds (NaN, infinities and absurd sizes are refused).</summary>
    public static Option<double?> Seconds(Option<double?> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && Math.Abs(seconds) <= MaxSeconds)
            {
                return seconds;
            }
            result.AddError($"{option.Name} '{text}': expected a number of seconds");
            return null;
        };
        return option;
    }
}
