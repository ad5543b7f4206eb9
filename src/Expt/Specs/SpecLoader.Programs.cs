using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

public sealed partial class SpecLoader
{
    /// <summary>
    /// The program and script each stage's <c>run</c> starts must exist, when the command's text decides it
    /// (<see cref="ProgramCheck"/>): <c>python3 trian.py</c> is a spec error, not twenty failed jobs. A stage that
    /// needs another is left out, since an earlier stage may create what it runs (a generated script, a tool
    /// that <c>pip install</c> puts on PATH).
    /// </summary>
    private void CheckPrograms(List<StageDefinition> stages, Dictionary<string, YamlNode> keys, string workingDirectory)
    {
        var searchPath = Environment.GetEnvironmentVariable("PATH");
        foreach (var stage in stages.Where(s => s.Needs.Count == 0 && !string.IsNullOrWhiteSpace(s.Run)))
        {
            var at = stage.IsImplicit && keys.TryGetValue("run", out var runNode) ? YamlScalars.At(_file, runNode) : stage.Location;
            foreach (var problem in ProgramCheck.Problems(stage.Run, workingDirectory, searchPath))
            {
                _errors.Add(new SpecError(at, stage.IsImplicit ? "run" : $"stages.{stage.Name}.run", problem));
            }
        }
    }
}
