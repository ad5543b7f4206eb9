using System.Text.Json.Nodes;
using Expt.Internal;
using Expt.Planning;
using Expt.Specs;

namespace Expt.Design;

/// <summary>
/// The value of every <c>path</c> param (and every path inside a <c>list&lt;path&gt;</c> or <c>map&lt;string,path&gt;</c>)
/// over the plan's variants, each distinct path looked at once, from the jobs' working directory.
/// </summary>
internal static class PathResources
{
    /// <summary>Distinct paths checked at most; the rest are counted in one entry that says so.</summary>
    public const int MaxDistinctPaths = 10_000;

    /// <summary>One check per distinct path, in the order first met.</summary>
    public static IEnumerable<ResourceCheck> Verify(Plan plan, WalkLimits limits)
    {
        var pathParams = plan.Definition.Params.Where(p => NamesPaths(p.Type)).ToDictionary(p => p.Name, StringComparer.Ordinal);
        if (pathParams.Count == 0) yield break;
        var workdir = plan.Definition.WorkingDirectory;
        var found = new Dictionary<string, Found>(StringComparer.Ordinal);
        var beyond = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variant in plan.Variants)
        {
            foreach (var (name, value) in variant.Values)
            {
                if (!pathParams.TryGetValue(name, out var param)) continue;
                foreach (var text in Paths(param.Type, value))
                {
                    if (!found.TryGetValue(text, out var entry))
                    {
                        if (found.Count >= MaxDistinctPaths)
                        {
                            beyond.Add(text);
                            continue;
                        }
                        found[text] = entry = new Found(text);
                    }
                    entry.MustExist |= param.MustExist;
                    entry.Use.AddOwner(name);
                    entry.Use.AddVariant(variant.Name);
                }
            }
        }
        var walk = new FolderWalk(limits);
        foreach (var entry in found.Values)
        {
            yield return Check(entry, workdir, walk) with { UsedBy = entry.Use.Describe("param", "params", plan.Variants.Count) };
        }
        if (beyond.Count > 0)
        {
            yield return new ResourceCheck(ResourceKind.Path, $"{beyond.Count:N0} more paths", null, false, null, null, false, null, "path params", null)
            {
                Checked = false,
                Note = $"not checked: only the first {MaxDistinctPaths:N0} distinct paths are",
            };
        }
    }

    private static bool NamesPaths(ParamType type) => type.Kind == ParamKind.Path || (type.Element is { } element && NamesPaths(element));

    /// <summary>The paths in a value of <paramref name="type"/>: itself, or the paths inside a list or map.</summary>
    private static IEnumerable<string> Paths(ParamType type, JsonNode? value)
    {
        switch (value)
        {
            case JsonValue v when type.Kind == ParamKind.Path && v.TryGetValue<string>(out var text):
                yield return text;
                break;
            case JsonArray list when type.Kind == ParamKind.List:
                foreach (var item in list.SelectMany(i => Paths(type.Element!, i))) yield return item;
                break;
            case JsonObject map when type.Kind == ParamKind.Map:
                foreach (var item in map.SelectMany(kv => Paths(type.Element!, kv.Value))) yield return item;
                break;
        }
    }

    private static ResourceCheck Check(Found entry, string workdir, FolderWalk walk)
    {
        var text = entry.Text;
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(workdir, text));
        }
        catch (ArgumentException e)
        {
            return Missing(text, null, $"path '{text}' is not a valid path ({e.Message})");
        }
        var target = full;
        var kind = Native.KindOf(full);
        if (kind == FileKind.SymbolicLink || (kind is null && new FileInfo(full).LinkTarget is not null))
        {
            // The path itself may be a link (a dataset linked into the project): what the job reads is its target.
            try
            {
                target = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
            }
            catch (IOException e)
            {
                return Missing(text, full, $"path '{text}' is a symbolic link that cannot be resolved ({e.Message}); resolved to {full}");
            }
            kind = Native.KindOf(target);
        }
        if (Directory.Exists(target)) return Folder(text, target, walk);
        if (!File.Exists(target))
        {
            var link = target == full ? "" : $" (a symbolic link to {target}, which does not exist)";
            return Missing(text, full, entry.MustExist
                ? $"path '{text}' does not exist{link}; resolved to {full}; 'must_exist' is set, so expt run would refuse the plan"
                : $"path '{text}' does not exist{link}; resolved to {full}; a job that reads it will fail");
        }
        var regular = kind is null or FileKind.Regular;
        return new ResourceCheck(ResourceKind.Path, text, target, true, regular ? new FileInfo(target).Length : null, null, false, null, "", null)
        {
            // Never opened: reading a FIFO waits for a writer.
            Note = regular ? null : "not a regular file (a FIFO, device or socket); not opened",
        };
    }

    private static ResourceCheck Folder(string text, string target, FolderWalk walk)
    {
        FolderSize? size;
        try
        {
            size = walk.Measure(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ResourceCheck(ResourceKind.Path, text, target, true, null, null, true, null, "", null) { Note = $"its contents could not be read ({e.Message})" };
        }
        if (size is null)
        {
            return new ResourceCheck(ResourceKind.Path, text, target, true, null, null, true, null, "", null)
            {
                Note = "size not measured: the time and entries allowed for measuring folders ran out",
            };
        }
        return new ResourceCheck(ResourceKind.Path, text, target, true, size.Bytes, size.Files, true, null, "", null)
        {
            SizeIsLowerBound = size.Cut is not null,
            Note = size.Cut is null ? null : $"size and files are at least these: {size.Cut}",
        };
    }

    private static ResourceCheck Missing(string text, string? full, string problem) =>
        new(ResourceKind.Path, text, full, false, null, null, false, null, "", problem);

    private sealed class Found(string text)
    {
        public string Text { get; } = text;

        public bool MustExist { get; set; }

        public ResourceUse Use { get; } = new();
    }
}
