using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// Reads <c>seeds:</c>, the list of seeds every variant is crossed with, and checks it against the sections that
/// could also set the seed: a matrix factor <c>seed</c> is an error (two lists of seeds), an include that fixes its
/// own seed keeps it and runs once (a warning says so).
/// </summary>
internal sealed class SeedsReader(SpecFields fields, ValueCoercer coercer)
{
    /// <summary>The name of the param the seeds are given to.</summary>
    public const string Seed = "seed";

    private SpecDiagnostics Diagnostics => fields.Diagnostics;

    /// <summary>The distinct seeds, typed by the <c>seed</c> param; empty when <c>seeds</c> is absent or wrong.</summary>
    public List<long> Read(YamlNode? node, Dictionary<string, ParamDefinition> parameters)
    {
        var result = new List<long>();
        if (node is null) return result;
        if (node is not YamlSequenceNode seq)
        {
            var hint = node is YamlScalarNode { Value: { } n } && YamlScalars.TryInt(n, out var count) && count > 0
                ? $" (for seeds 1 to {count} write [{string.Join(", ", Enumerable.Range(1, (int)Math.Min(count, 3)))}{(count > 3 ? $", …, {count}" : "")}], or give --seeds {count} on the command line)"
                : "";
            Diagnostics.Error(node, "seeds", $"expected a list of seeds, e.g. [1, 2, 3]; got {YamlScalars.Describe(node)}{hint}");
            return result;
        }
        if (seq.Children.Count == 0)
        {
            Diagnostics.Error(node, "seeds", "needs at least one seed; leave 'seeds' out to run each variant once with the default seed");
            return result;
        }
        var seed = parameters[Seed];
        if (seed.Type.Kind != ParamKind.Int)
        {
            Diagnostics.Error(node, "seeds", $"gives 'seed' integer values, but params.seed is declared as {seed.Type} (line {seed.Location.Line}); declare it as int or leave it to Expt");
            return result;
        }
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var item = seq.Children[i];
            var field = $"seeds[{i}]";
            // Typed and bounded by the seed param, as a matrix level of it would be.
            if (!coercer.TryCoerce(item, seed, field, out var value) || value is not JsonValue v || !v.TryGetValue<long>(out var s)) continue;
            if (result.Contains(s))
            {
                Diagnostics.Error(item, field, $"duplicate seed {s}");
                continue;
            }
            result.Add(s);
        }
        return result;
    }

    /// <summary>With seeds: a <c>seed</c> matrix factor is an error; an include that fixes the seed is warned about.</summary>
    public void CheckAgainst(YamlNode seedsNode, IReadOnlyList<MatrixFactor> matrix, IReadOnlyList<IncludeDefinition> includes)
    {
        var at = Diagnostics.At(seedsNode);
        foreach (var factor in matrix.Where(f => f.Param == Seed))
        {
            Diagnostics.Error(factor.Location, "matrix.seed", $"'seed' is already varied by 'seeds:' (line {at.Line}); keep one of the two");
        }
        for (var i = 0; i < includes.Count; i++)
        {
            if (!includes[i].Values.TryGetValue(Seed, out var fixedSeed)) continue;
            Diagnostics.Warnings.Add(new SpecError(includes[i].Location, $"include[{i}].seed",
                $"fixes seed {ParamValues.ToDisplay(fixedSeed)}: this variant runs once, not once per seed of 'seeds:' (line {at.Line}); drop its 'seed' to cross it with the seeds too"));
        }
    }
}
