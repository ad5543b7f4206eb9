using System.Diagnostics;

namespace Expt.Cli.Tests.Support;

/// <summary>
/// A test that needs a Python package outside the standard library (pydantic-settings for the pydantic entry point).
/// xunit 2 has no dynamic skip, so the attribute decides at discovery: skipped, with the reason in the results, when
/// <c>python3 -c "import MODULE"</c> fails; with <c>EXPT_REQUIRE_PYTHON_MODULES=1</c> it runs and fails instead.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonModuleFactAttribute : FactAttribute
{
    /// <summary>Set to 1 to fail rather than skip without the module.</summary>
    public const string RequireVariable = "EXPT_REQUIRE_PYTHON_MODULES";

    public PythonModuleFactAttribute(string module)
    {
        Module = module;
        if (!Importable(module) && Environment.GetEnvironmentVariable(RequireVariable) != "1")
        {
            Skip = $"python3 cannot import {module} (pip install {module.Replace('_', '-')}); set {RequireVariable}=1 to make this a failure";
        }
    }

    /// <summary>The module the test imports.</summary>
    public string Module { get; }

    private static bool Importable(string module)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", ["-c", $"import {module}"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            if (!p.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                p.Kill(entireProcessTree: true);
                return false;
            }
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
