using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Expt.Cli.Tests.Commands;

/// <summary>
/// The SLURM backend is an add-on: an installation without <c>Expt.Slurm.dll</c> runs, shows and cancels local runs.
/// Tested with a real copy of the CLI from which the assembly (and its entry in the dependency manifest) is removed.
/// </summary>
public sealed class WithoutSlurmTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _dir = new("expt-noslurm");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Given_a_cli_without_the_slurm_assembly_when_a_local_run_is_run_shown_and_cancelled_then_each_command_works()
    {
        // Given the CLI copied without Expt.Slurm.dll, and a local spec
        var cli = CopyWithoutSlurm();
        File.Exists(Path.Combine(Path.GetDirectoryName(cli)!, "Expt.Slurm.dll")).ShouldBeFalse();
        var spec = _dir.File("s/experiment.yaml", "experiment: tiny\nargs: none\nrun: \"true\"\n");
        var results = _dir.Combine("results");

        // When it runs the spec, then shows and cancels the run
        var run = await RunAsync(cli, "run", spec, "--results", results, "--run-id", "r1");
        var status = await RunAsync(cli, "status", "r1", "--results", results);
        var cancel = await RunAsync(cli, "cancel", "r1", "--results", results);

        // Then every command did its work, none missing the assembly
        run.Code.ShouldBe(0, run.Error);
        status.Code.ShouldBe(0, status.Error);
        status.Output.ShouldContain("(local): 1/1 done");
        cancel.Code.ShouldBe(0, cancel.Error);
        cancel.Output.ShouldContain("Nothing to cancel");
        (run.Error + status.Error + cancel.Error).ShouldNotContain("Expt.Slurm");
    }

    [Fact]
    public async Task Given_a_cli_without_the_slurm_assembly_when_an_unknown_executor_is_asked_for_then_the_message_offers_only_local()
    {
        // Given the CLI copied without Expt.Slurm.dll, a local spec and one naming an executor no expt has
        var cli = CopyWithoutSlurm();
        var spec = _dir.File("s/experiment.yaml", "experiment: tiny\nargs: none\nrun: \"true\"\n");
        var other = _dir.File("k/experiment.yaml", "experiment: tiny\nargs: none\nrun: \"true\"\nexecutor: kube\n");

        // When the option and the spec ask for it
        var byOption = await RunAsync(cli, "run", spec, "--executor", "kube", "--results", _dir.Combine("results"));
        var bySpec = await RunAsync(cli, "run", other, "--results", _dir.Combine("results"));

        // Then both are refused, offering the one backend this installation has
        byOption.Code.ShouldBe(2);
        byOption.Error.ShouldBe("error: --executor kube: expected local\n");
        bySpec.Code.ShouldBe(2);
        bySpec.Error.ShouldContain("unknown executor 'kube'; expected one of local\n");
        (byOption.Error + bySpec.Error).ShouldNotContain("slurm");
    }

    /// <summary>The CLI's files in a directory of their own, less Expt.Slurm; its path to Expt.Cli.dll.</summary>
    private string CopyWithoutSlurm()
    {
        var target = _dir.Combine("cli");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory).Where(f => !Path.GetFileName(f).StartsWith("Expt.Slurm", StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        // Native libraries (SQLite) are found through the manifest under runtimes/: linked, not copied.
        Directory.CreateSymbolicLink(Path.Combine(target, "runtimes"), Path.Combine(AppContext.BaseDirectory, "runtimes"));
        var depsPath = Path.Combine(target, "Expt.Cli.deps.json");
        var deps = JsonNode.Parse(File.ReadAllText(depsPath))!.AsObject();
        foreach (var (_, libraries) in deps["targets"]!.AsObject())
        {
            foreach (var (_, library) in libraries!.AsObject()) (library?["dependencies"] as JsonObject)?.Remove("Expt.Slurm");
            libraries.AsObject().Remove("Expt.Slurm/0.1.0");
        }
        deps["libraries"]!.AsObject().Remove("Expt.Slurm/0.1.0");
        File.WriteAllText(depsPath, deps.ToJsonString());
        return Path.Combine(target, "Expt.Cli.dll");
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string cli, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("EXPT_RESULTS");
        psi.Environment["CI"] = "true";
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Limit);
        return (process.ExitCode, await output, await error);
    }
}
