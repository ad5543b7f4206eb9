using System.Text.Json;
using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>Renders a plan for <c>--dry-run</c> / <c>expt plan</c>: every job, its kind, what differs from the defaults, and its directory.</summary>
internal static class PlanRenderer
{
    public static void Write(TextWriter output, Plan plan, string runDirectoryHint)
    {
        var d = plan.Definition;
        // The spec's text and its param values reach the terminal only through the one escaper (the table escapes its cells).
        output.WriteLine($"Experiment {VisibleText.Escape(d.Name)}: {Count(plan.Variants.Count, "variant")}, {Count(plan.Jobs.Count, "job")}{StagesNote(plan)}");
        if (d.Question is not null) output.WriteLine($"Question: {VisibleText.EscapeLines(d.Question)}");
        output.WriteLine($"Run directory: {VisibleText.Escape(runDirectoryHint)}");
        output.WriteLine();
        var single = plan.IsSingleStage;
        var table = single ? new TextTable("JOB", "KIND", "CHANGED FROM DEFAULTS", "DIRECTORY") : new TextTable("JOB", "KIND", "STAGE", "NEEDS", "CHANGED FROM DEFAULTS", "DIRECTORY");
        foreach (var job in plan.Jobs)
        {
            var changed = string.Join(" ", job.Variant.Changed.Select(p => $"{p}={ParamValues.ToDisplay(job.Variant.Get(p))}"));
            if (single) table.Add(job.Id, job.Variant.Kind, changed.Length == 0 ? "(defaults)" : changed, job.RelativeDirectory + "/");
            else table.Add(job.Id, job.Variant.Kind, job.Stage.Name + (job.IsMerge ? " (merge)" : ""), job.Needs.Count == 0 ? "-" : job.Needs.Count == 1 ? job.Needs[0] : $"{job.Needs.Count} jobs", changed.Length == 0 ? "(defaults)" : changed, job.RelativeDirectory + "/");
        }
        output.Write(table.ToString());
        output.WriteLine();
        foreach (var stage in d.Stages)
        {
            var first = plan.Jobs.FirstOrDefault(j => j.Stage.Name == stage.Name);
            if (first is null) continue;
            var command = CommandBuilder.Build(plan, first, new JobPaths(runDirectoryHint.TrimEnd('/'), Path.Combine(runDirectoryHint.TrimEnd('/'), first.RelativeDirectory)));
            output.WriteLine($"Command of {VisibleText.Escape(first.Id)}:");
            output.WriteLine($"  {VisibleText.Escape(command)}");
        }
        output.WriteLine($"  (in {VisibleText.Escape(d.WorkingDirectory)})");
        output.WriteLine();
        output.WriteLine("Dry run: nothing was run or written.");
    }

    public static void WriteJson(TextWriter output, Plan plan)
    {
        var jobs = new JsonArray();
        foreach (var job in plan.Jobs)
        {
            // Written through ParamValues so a float stays a float (1.0, not 1), exactly as in config.json.
            var config = JsonNode.Parse(ParamValues.ToIndentedJson(job.Config))!;
            jobs.Add((JsonNode)new JsonObject
            {
                ["id"] = job.Id,
                ["variant"] = job.Variant.Name,
                ["kind"] = job.Variant.Kind,
                ["stage"] = job.Stage.Name,
                ["dir"] = job.RelativeDirectory,
                ["needs"] = new JsonArray(job.Needs.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
                ["changed"] = new JsonArray(job.Variant.Changed.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
                ["identity"] = job.Identity,
                ["config"] = config,
            });
        }
        var root = new JsonObject
        {
            ["schemaVersion"] = 1,
            ["experiment"] = plan.Definition.Name,
            ["variants"] = plan.Variants.Count,
            ["jobs"] = jobs,
        };
        output.WriteLine(root.ToJsonString(JsonFiles.Options));
    }

    /// <summary>" in 3 stages", or " in 1 of 3 stages" when --only/--skip left some out; nothing for a single-command spec.</summary>
    private static string StagesNote(Plan plan)
    {
        var d = plan.Definition;
        if (d.Stages.Count == 1 && d.Stages[0].IsImplicit) return "";
        var selected = plan.Jobs.Select(j => j.Stage.Name).Distinct().Count();
        return selected == d.Stages.Count ? $" in {Count(selected, "stage")}" : $" in {selected} of {Count(d.Stages.Count, "stage")}";
    }

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";

    internal static JsonSerializerOptions Options => JsonFiles.Options;
}
