using Expt.Internal;
using Expt.Specs;

namespace Expt.Planning;

/// <summary>Where a job's run lives, to fill the placeholders that depend on it.</summary>
/// <param name="RunDirectory">Absolute path of the run.</param>
/// <param name="JobDirectory">Absolute path of the job (its output_dir).</param>
public sealed record JobPaths(string RunDirectory, string JobDirectory);

/// <summary>Renders a job's shell command: placeholders filled (shell-quoted) and, with <c>args: flags</c>, every value appended as a flag.</summary>
public static class CommandBuilder
{
    /// <summary>The command line a job runs.</summary>
    public static string Build(Plan plan, PlannedJob job, JobPaths paths)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(paths);
        var template = Template.TryParse(job.CommandTemplate, out var error)
            ?? throw new InvalidOperationException($"invalid command template: {error}");
        var values = job.Config.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var command = template.Render(field => Shell.Quote(Resolve(plan, job, paths, values, field)));
        // A merge combines its shards' outputs; it reads config.json if it needs params, and gets no flags.
        if (job.IsMerge || (job.Stage.Args ?? plan.Definition.Args) == ArgsMode.None) return command;
        var sb = new System.Text.StringBuilder(command);
        foreach (var (key, value) in job.Config)
        {
            sb.Append(" --").Append(key).Append(' ').Append(Shell.Quote(ParamValues.ToFlag(value)));
        }
        sb.Append(" --output_dir ").Append(Shell.Quote(paths.JobDirectory));
        return sb.ToString();
    }

    /// <summary>Placeholders of the job's command that have no value for this job (e.g. a cell axis its kind does not fan out over).</summary>
    public static IReadOnlyList<string> Unresolvable(Plan plan, PlannedJob job)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(job);
        var template = Template.TryParse(job.CommandTemplate, out _);
        if (template is null) return [];
        var values = job.Config.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var paths = new JobPaths("/run", "/run/job");
        var missing = new List<string>();
        foreach (var field in template.Fields.Distinct())
        {
            try
            {
                Resolve(plan, job, paths, values, field);
            }
            catch (InvalidOperationException)
            {
                missing.Add(field);
            }
        }
        return missing;
    }

    private static string Resolve(Plan plan, PlannedJob job, JobPaths paths, Dictionary<string, System.Text.Json.Nodes.JsonNode?> values, string field)
    {
        if (values.TryGetValue(field, out var v)) return ParamValues.ToDisplay(v);
        switch (field)
        {
            case "output_dir": return paths.JobDirectory;
            case "run_dir": return paths.RunDirectory;
            case "variant": return job.Variant.Name;
            case "kind": return job.Variant.Kind;
            case "stage": return job.Stage.Name;
            case "experiment": return plan.Definition.Name;
            case "shard_index": return job.ShardIndex.ToString(System.Globalization.CultureInfo.InvariantCulture);
            case "shard_count": return job.ShardCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (field.StartsWith("stage.", StringComparison.Ordinal) && field.EndsWith(".dir", StringComparison.Ordinal))
        {
            var stage = field[6..^4];
            var isImplicit = plan.Definition.Stages.FirstOrDefault(s => s.Name == stage)?.IsImplicit ?? false;
            var rel = isImplicit ? job.Variant.Name : $"{job.Variant.Name}/{stage}";
            return Path.Combine(paths.RunDirectory, rel);
        }
        throw new InvalidOperationException($"unknown placeholder '{{{field}}}'");
    }
}
