using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// The program and script each stage's <c>run</c> starts must exist, when the command's text decides it
/// (<see cref="ProgramCheck"/>): <c>python3 trian.py</c> is a spec error, not twenty failed jobs. A stage that
/// needs another is left out, since an earlier stage may create what it runs (a generated script, a tool
/// that <c>pip install</c> puts on PATH).
/// </summary>
internal static class StageProgramsCheck
{
    /// <summary>Reports each missing program; <paramref name="topRun"/> is the top-level <c>run</c> node, if the spec has one.</summary>
    public static void Check(SpecDiagnostics diagnostics, List<StageDefinition> stages, YamlNode? topRun, string workingDirectory)
    {
        var searchPath = Environment.GetEnvironmentVariable("PATH");
        foreach (var stage in stages.Where(s => s.Needs.Count == 0 && !string.IsNullOrWhiteSpace(s.Run)))
        {
            var at = stage.IsImplicit && topRun is not null ? diagnostics.At(topRun) : stage.Location;
            foreach (var problem in ProgramCheck.Problems(stage.Run, workingDirectory, searchPath))
            {
                diagnostics.Error(at, stage.IsImplicit ? "run" : $"stages.{stage.Name}.run", problem);
            }
        }
    }
}
