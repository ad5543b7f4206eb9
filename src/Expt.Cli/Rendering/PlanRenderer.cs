using System.Buffers;
using System.Text;
using System.Text.Json;
using Expt.Internal;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Cli.Rendering;

/// <summary>Renders a plan for <c>--dry-run</c> / <c>expt plan</c>: every job, its kind, what differs from the defaults, and its directory.</summary>
internal static class PlanRenderer
{
    // How much JSON is gathered before it is written out.
    private const int FlushBytes = 32 * 1024;

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
        table.WriteTo(output);
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

    /// <summary>
    /// The plan as JSON (<c>--json</c>), written while it is produced: a few tens of kilobytes at a time reach
    /// <paramref name="output"/>, so a plan of 100,000 jobs is never held as one document.
    /// </summary>
    public static void WriteJson(TextWriter output, Plan plan)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushBytes * 2);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JsonFiles.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 1);
            writer.WriteString("experiment", plan.Definition.Name);
            writer.WriteNumber("variants", plan.Variants.Count);
            writer.WriteStartArray("jobs");
            foreach (var job in plan.Jobs)
            {
                WriteJob(writer, job);
                if (buffer.WrittenCount >= FlushBytes) Flush(writer, buffer, output);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            Flush(writer, buffer, output);
        }
        output.WriteLine();
    }

    private static void WriteJob(Utf8JsonWriter writer, PlannedJob job)
    {
        writer.WriteStartObject();
        writer.WriteString("id", job.Id);
        writer.WriteString("variant", job.Variant.Name);
        writer.WriteString("kind", job.Variant.Kind);
        writer.WriteString("stage", job.Stage.Name);
        writer.WriteString("dir", job.RelativeDirectory);
        writer.WriteStartArray("needs");
        foreach (var need in job.Needs) writer.WriteStringValue(need);
        writer.WriteEndArray();
        writer.WriteStartArray("changed");
        foreach (var name in job.Variant.Changed) writer.WriteStringValue(name);
        writer.WriteEndArray();
        writer.WriteString("identity", job.Identity);
        // Written through ParamValues so a float stays a float (1.0, not 1), exactly as in config.json.
        writer.WriteStartObject("config");
        foreach (var (key, value) in job.Config)
        {
            writer.WritePropertyName(key);
            ParamValues.Write(writer, value);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    // The writer holds whole tokens only after its Flush, so a chunk never ends inside a UTF-8 sequence.
    private static void Flush(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, TextWriter output)
    {
        writer.Flush();
        output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
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
