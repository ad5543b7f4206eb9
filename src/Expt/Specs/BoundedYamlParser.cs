using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Expt.Specs;

/// <summary>
/// A parser that counts what the document would be once its aliases are expanded, event by event, and stops at
/// the first alias or nesting level beyond <see cref="SpecLimits"/>. The representation model shares an
/// anchored node between its aliases, but everything that walks the tree afterwards (value coercion,
/// the executor block) expands it again: ten levels of ten aliases are ten billion nodes. Counting here refuses
/// such a file before any of it is materialised, and before deep nesting can exhaust the stack of the
/// recursive tree builder.
/// </summary>
internal sealed class BoundedYamlParser(IParser inner, long maxNodes = SpecLimits.MaxNodes, int maxDepth = SpecLimits.MaxDepth) : IParser
{
    // An open anchored node: where its expanded count started, the depth it opened at, the deepest level below it.
    private sealed record Open(string? Anchor, long StartCount, int Depth)
    {
        public int Deepest { get; set; } = Depth;
    }

    private readonly Dictionary<string, (long Nodes, int Height)> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<Open> _open = new();
    private long _nodes;

    /// <summary>Where the last event that parsed ended; a syntax error lies after it.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    /// <inheritdoc />
    public ParsingEvent? Current => inner.Current;

    /// <inheritdoc />
    public bool MoveNext()
    {
        if (!inner.MoveNext()) return false;
        var e = inner.Current!;
        LastEnd = e.End;
        switch (e)
        {
            case Scalar scalar:
                Count(1, e);
                if (!scalar.Anchor.IsEmpty) _anchors[scalar.Anchor.Value] = (1, 0);
                break;
            case AnchorAlias alias:
                var name = alias.Value.Value;
                if (_open.Any(o => o.Anchor == name))
                {
                    // The tree builder would link the node into itself, and every later walk of it would never end.
                    throw new YamlBoundException(e.Start, $"alias '*{name}' refers to a list or mapping that contains it; an alias must refer to a finished node");
                }
                var (nodes, height) = _anchors.TryGetValue(name, out var known) ? known : (1, 0);
                Reach(_open.Count + height, e);
                Count(nodes, e, name);
                break;
            case MappingStart or SequenceStart:
                Reach(_open.Count + 1, e);
                Count(1, e);
                var anchor = ((NodeEvent)e).Anchor;
                _open.Push(new Open(anchor.IsEmpty ? null : anchor.Value, _nodes - 1, _open.Count + 1));
                break;
            case MappingEnd or SequenceEnd:
                var closed = _open.Pop();
                if (closed.Anchor is not null) _anchors[closed.Anchor] = (_nodes - closed.StartCount, closed.Deepest - closed.Depth + 1);
                break;
        }
        return true;
    }

    private void Count(long nodes, ParsingEvent at, string? alias = null)
    {
        // Saturating: a count past the limit is refused at once, so it never gets near overflow.
        _nodes += nodes;
        if (_nodes <= maxNodes) return;
        var what = alias is null ? "the spec has" : $"at alias '*{alias}' (which stands for {Format(nodes)} nodes) the spec's aliases expand to";
        throw new YamlBoundException(at.Start, $"{what} more than {Format(maxNodes)} YAML nodes, the most a spec may hold{(alias is null ? "" : " once aliases are expanded")}");
    }

    private void Reach(int depth, ParsingEvent at)
    {
        if (depth > maxDepth)
        {
            throw new YamlBoundException(at.Start, $"lists and mappings are nested more than {maxDepth} levels deep{(at is AnchorAlias ? " through this alias" : "")}, the most a spec may nest");
        }
        foreach (var open in _open) open.Deepest = Math.Max(open.Deepest, depth);
    }

    private static string Format(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>A spec beyond <see cref="SpecLimits"/>; caught by the loader and reported as a located error.</summary>
internal sealed class YamlBoundException(Mark at, string message) : Exception(message)
{
    /// <summary>Where the limit was passed.</summary>
    public Mark At { get; } = at;
}
