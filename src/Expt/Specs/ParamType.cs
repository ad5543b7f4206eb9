namespace Expt.Specs;

/// <summary>The kinds of value a param can hold.</summary>
public enum ParamKind
{
    /// <summary>Free text.</summary>
    String,
    /// <summary>A 64-bit integer.</summary>
    Int,
    /// <summary>A double-precision number.</summary>
    Float,
    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool,
    /// <summary>One of a fixed set of strings.</summary>
    Enum,
    /// <summary>A file-system path, relative to the spec's directory.</summary>
    Path,
    /// <summary><c>list&lt;T&gt;</c>.</summary>
    List,
    /// <summary><c>map&lt;string,T&gt;</c>.</summary>
    Map,
}

/// <summary>A param's type as written in a spec, e.g. <c>int</c> or <c>list&lt;string&gt;</c>.</summary>
/// <param name="Kind">The outer kind.</param>
/// <param name="Element">The element type of a list or the value type of a map; null otherwise.</param>
public sealed record ParamType(ParamKind Kind, ParamType? Element = null)
{
    /// <summary>The scalar types, in the spelling a spec uses.</summary>
    public static readonly IReadOnlyList<string> Names = ["string", "int", "float", "bool", "enum", "path", "list<T>", "map<string,T>"];

    /// <summary>Parses a type name such as <c>map&lt;string,list&lt;int&gt;&gt;</c>; null when it is not one.</summary>
    public static ParamType? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Replace(" ", "", StringComparison.Ordinal);
        switch (t)
        {
            case "string" or "str": return new(ParamKind.String);
            case "int" or "integer": return new(ParamKind.Int);
            case "float" or "number" or "double": return new(ParamKind.Float);
            case "bool" or "boolean": return new(ParamKind.Bool);
            case "enum": return new(ParamKind.Enum);
            case "path": return new(ParamKind.Path);
        }
        if (t.StartsWith("list<", StringComparison.Ordinal) && t.EndsWith('>'))
        {
            var inner = TryParse(t[5..^1]);
            return inner is null || inner.Kind == ParamKind.Enum ? null : new(ParamKind.List, inner);
        }
        if ((t.StartsWith("map<string,", StringComparison.Ordinal) || t.StartsWith("map<string;", StringComparison.Ordinal)) && t.EndsWith('>'))
        {
            var inner = TryParse(t[11..^1]);
            return inner is null || inner.Kind == ParamKind.Enum ? null : new(ParamKind.Map, inner);
        }
        return null;
    }

    /// <summary>True for list and map.</summary>
    public bool IsContainer => Kind is ParamKind.List or ParamKind.Map;

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        ParamKind.List => $"list<{Element}>",
        ParamKind.Map => $"map<string,{Element}>",
        _ => Kind.ToString().ToLowerInvariant(),
    };
}
