namespace Expt.Suites;

/// <summary>Why suites are not trimming- or AOT-safe: they run under the JIT (file-based apps), never in the native <c>expt</c>.</summary>
internal static class SuiteReflection
{
    public const string Why = "Suites read config records' properties, build lists and maps of their types and clone records by reflection; run them under the JIT (a file-based app with PublishAot=false), not in a trimmed or native build.";
}
