using System.Text.Json.Nodes;
using Expt.Design;
using Expt.Internal;

namespace Expt.Cli.Rendering;

/// <summary>
/// <c>expt design --json</c>: the design in camelCase, built node by node so that a figure without history is an
/// explicit null (never a missing key nor a 0).
/// </summary>
internal static class DesignJson
{
    public static void Write(TextWriter output, ExperimentDesign design) => output.WriteLine(Build(design).ToJsonString(JsonFiles.Options));

    public static JsonObject Build(ExperimentDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        var (plan, totals) = (design.Plan, design.Totals);
        var jobs = new JsonArray();
        for (var i = 0; i < plan.Jobs.Count; i++)
        {
            var (job, e) = (plan.Jobs[i], design.Estimates[i]);
            jobs.Add((JsonNode)new JsonObject
            {
                ["id"] = job.Id,
                ["variant"] = job.Variant.Name,
                ["stage"] = job.Stage.Name,
                ["estimate"] = new JsonObject
                {
                    ["wallSeconds"] = e.WallSeconds,
                    ["cpuSeconds"] = e.CpuSeconds,
                    ["gpuSeconds"] = e.GpuSeconds,
                    ["peakRssMb"] = e.PeakRssMb,
                    ["outputBytes"] = e.OutputBytes,
                    ["basis"] = Camel(e.Basis.ToString()),
                    ["n"] = e.N,
                    ["detail"] = e.Detail,
                },
            });
        }
        var resources = new JsonArray();
        foreach (var r in design.Resources)
        {
            resources.Add((JsonNode)new JsonObject
            {
                ["kind"] = Camel(r.Kind.ToString()),
                ["path"] = r.Path,
                ["exists"] = r.Exists,
                ["bytes"] = r.Bytes,
                ["files"] = r.Files,
                ["executable"] = r.Executable,
                ["usedBy"] = r.UsedBy,
                ["problem"] = r.Problem,
            });
        }
        return new JsonObject
        {
            ["experiment"] = plan.Definition.Name,
            ["variants"] = plan.Variants.Count,
            ["jobs"] = jobs,
            ["resources"] = resources,
            ["totals"] = new JsonObject
            {
                ["wallSeconds"] = totals.WallSeconds,
                ["cpuHours"] = totals.CpuHours,
                ["gpuHours"] = totals.GpuHours,
                ["outputBytes"] = totals.OutputBytes,
                ["diskBytes"] = totals.DiskBytes,
                ["jobs"] = totals.Jobs,
                ["jobsWithoutHistory"] = totals.JobsWithoutHistory,
            },
            ["freeDiskBytes"] = design.FreeDiskBytes,
            ["problems"] = Strings(design.Problems),
            ["warnings"] = Strings(design.Warnings),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
