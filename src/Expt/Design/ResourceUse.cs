namespace Expt.Design;

/// <summary>
/// Who needs one resource: the params or stages that name it and the variants they do it for, kept small however many
/// variants there are (the first few names and a count), for <see cref="ResourceCheck.UsedBy"/>.
/// </summary>
internal sealed class ResourceUse
{
    /// <summary>How many variant names are shown before "+N more".</summary>
    public const int NamesShown = 3;

    private readonly List<string> _owners = [];
    private readonly List<string> _names = [];
    private readonly HashSet<string> _variants = new(StringComparer.Ordinal);

    /// <summary>Variants counted.</summary>
    public int Variants => _variants.Count;

    /// <summary>Adds the param or stage that names it (once).</summary>
    public void AddOwner(string owner)
    {
        if (!_owners.Contains(owner, StringComparer.Ordinal)) _owners.Add(owner);
    }

    /// <summary>Counts a variant once, however many of its params or stages name the resource.</summary>
    public void AddVariant(string variant)
    {
        if (_variants.Add(variant) && _names.Count < NamesShown) _names.Add(variant);
    }

    /// <summary>
    /// E.g. <c>param data (variants a, b, c +9 more)</c>, <c>stages train, eval (all 12 variants)</c>; a null
    /// <paramref name="singular"/> names a single owner alone (<c>run</c>).
    /// </summary>
    public string Describe(string? singular, string plural, int planVariants)
    {
        var noun = _owners.Count == 1 ? singular : plural;
        var owner = noun is null ? string.Join(", ", _owners) : $"{noun} {string.Join(", ", _owners)}";
        if (planVariants <= 1 || Variants == 0) return owner;
        if (Variants == planVariants) return $"{owner} (all {planVariants} variants)";
        var more = Variants - _names.Count;
        return $"{owner} ({(Variants == 1 ? "variant" : "variants")} {string.Join(", ", _names)}{(more > 0 ? $" +{more} more" : "")})";
    }
}
