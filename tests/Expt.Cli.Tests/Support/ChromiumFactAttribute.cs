namespace Expt.Cli.Tests.Support;

/// <summary>
/// A test that drives a real headless Chromium. xunit 2 has no dynamic skip, so the attribute decides at discovery:
/// skipped, with the reason in the results, only when no Chromium exists at all; with <c>EXPT_REQUIRE_CHROMIUM=1</c>
/// (CI, whose script installs Debian's chromium) it runs and fails instead.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Names another Chromium executable than Debian's.</summary>
    public const string PathVariable = "EXPT_CHROMIUM";

    /// <summary>Set to 1 to fail rather than skip without a Chromium.</summary>
    public const string RequireVariable = "EXPT_REQUIRE_CHROMIUM";

    /// <summary>The Chromium to drive: <c>$EXPT_CHROMIUM</c>, else Debian's.</summary>
    public static string Executable => Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable) && Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"no Chromium at {Executable}: install Debian's chromium (apt-get install -y chromium, as .ci/run does) or name one with {PathVariable}; set {RequireVariable}=1 to make this a failure";
        }
    }
}
