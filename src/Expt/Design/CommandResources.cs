using Expt.Planning;
using Expt.Specs;

namespace Expt.Design;

/// <summary>
/// The program and script each stage's <c>run</c> starts, as <see cref="ProgramCheck"/> reads the command, for the
/// stages that have jobs in the plan. What a stage with <c>needs</c> starts may be created by an earlier stage (a
/// generated script, a tool installed on PATH), so a missing one there is a note, not a problem.
/// </summary>
internal static class CommandResources
{
    /// <summary>One check per distinct program or script (with every stage that starts it), then each command not read.</summary>
    public static IEnumerable<ResourceCheck> Verify(Plan plan, string? searchPath)
    {
        var workdir = plan.Definition.WorkingDirectory;
        var variantsByStage = plan.Jobs.GroupBy(j => j.Stage.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(j => j.Variant.Name).Distinct(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        var found = new Dictionary<(CommandTargetKind, string), Found>();
        var unread = new List<ResourceCheck>();
        foreach (var stage in plan.Definition.Stages.Where(s => variantsByStage.ContainsKey(s.Name) && !string.IsNullOrWhiteSpace(s.Run)))
        {
            var owner = stage.IsImplicit ? "run" : stage.Name;
            var variants = variantsByStage[stage.Name];
            foreach (var target in ProgramCheck.Read(stage.Run, workdir, searchPath))
            {
                if (target.NotChecked is { } why)
                {
                    var use = Use(owner, variants);
                    unread.Add(new ResourceCheck(Kind(target.Kind), target.Written, null, false, null, null, false, null, Describe(use, plan), null)
                    {
                        Checked = false,
                        Note = $"not checked: {why}",
                    });
                    continue;
                }
                var key = (target.Kind, target.Resolved ?? target.Written);
                if (!found.TryGetValue(key, out var entry)) found[key] = entry = new Found(target);
                entry.Use.AddOwner(owner);
                foreach (var v in variants) entry.Use.AddVariant(v);
                if (target.Problem is null) continue;
                if (stage.Needs.Count == 0) entry.Problem ??= target.Problem;
                else entry.CreatedBy.AddRange(stage.Needs.Where(n => !entry.CreatedBy.Contains(n, StringComparer.Ordinal)));
            }
        }
        foreach (var entry in found.Values)
        {
            var t = entry.Target;
            var executable = t.Kind == CommandTargetKind.Script ? (t.Exists ? true : null) : t.Executable;
            yield return new ResourceCheck(Kind(t.Kind), t.Written, t.Resolved, t.Exists, Size(t), null, t.IsDirectory, executable, Describe(entry.Use, plan), entry.Problem)
            {
                Note = entry.Problem is null && t.Problem is not null
                    ? $"{t.Problem}; it may be created by stage {string.Join(" or ", entry.CreatedBy.Select(n => $"'{n}'"))}, which runs first"
                    : null,
            };
        }
        foreach (var check in unread) yield return check;
    }

    private static ResourceKind Kind(CommandTargetKind kind) => kind == CommandTargetKind.Script ? ResourceKind.Script : ResourceKind.Program;

    private static long? Size(CommandTarget target)
    {
        if (!target.Exists || target.IsDirectory || target.Resolved is null) return null;
        try
        {
            return new FileInfo(target.Resolved).Length;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static ResourceUse Use(string owner, List<string> variants)
    {
        var use = new ResourceUse();
        use.AddOwner(owner);
        foreach (var v in variants) use.AddVariant(v);
        return use;
    }

    // The single stage of a spec with a top-level run is named by its key alone: "run".
    private static string Describe(ResourceUse use, Plan plan) =>
        use.Describe(plan.Definition.Stages.Any(s => s.IsImplicit) ? null : "stage", "stages", plan.Variants.Count);

    private sealed class Found(CommandTarget target)
    {
        public CommandTarget Target { get; } = target;

        public string? Problem { get; set; }

        public List<string> CreatedBy { get; } = [];

        public ResourceUse Use { get; } = new();
    }
}
