using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Expt.Specs;

/// <summary>
/// From a spec file to its top-level YAML mapping, within <see cref="SpecLimits"/>: the file's size is bounded
/// while it is read (a device or a pipe that never ends is refused too), and the document is counted as it is
/// parsed. Every problem is one located <see cref="SpecError"/>.
/// </summary>
internal static class SpecYaml
{
    /// <summary>Reads at most <see cref="SpecLimits.MaxFileBytes"/> bytes of the file; null with <paramref name="error"/> when it is larger or unreadable.</summary>
    public static string? Read(string full, string display, out SpecError? error)
    {
        error = null;
        try
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int n;
            // Read one byte past the limit rather than trust the length: a device or a FIFO reports none.
            while ((n = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, SpecLimits.MaxFileBytes + 1 - buffer.Length))) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > SpecLimits.MaxFileBytes)
                {
                    error = new SpecError(new SourceLocation(display), "", $"the spec is larger than {Size(SpecLimits.MaxFileBytes)}, the most a spec file may hold; is this the right file?");
                    return null;
                }
            }
            buffer.Position = 0;
            using var reader = new StreamReader(buffer, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = new SpecError(new SourceLocation(display), "", $"cannot read the spec: {e.Message}");
            return null;
        }
    }

    /// <summary>Parses the one document of <paramref name="text"/>; null with <paramref name="error"/> when it is not valid YAML or beyond the limits.</summary>
    public static YamlNode? Parse(string text, string file, out SpecError? error)
    {
        error = null;
        if (text.Length > SpecLimits.MaxFileBytes)
        {
            error = new SpecError(new SourceLocation(file), "", $"the spec is larger than {Size(SpecLimits.MaxFileBytes)}, the most a spec file may hold");
            return null;
        }
        var parser = new BoundedYamlParser(new Parser(new StringReader(text)));
        try
        {
            var stream = new YamlStream();
            stream.Load(parser);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            {
                error = new SpecError(new SourceLocation(file, 1, 1), "", "the spec is empty; expected a mapping with at least 'experiment' and 'run' or 'stages'");
                return null;
            }
            if (stream.Documents.Count > 1)
            {
                error = new SpecError(YamlScalars.At(file, stream.Documents[1].RootNode), "", "a spec holds one YAML document; found more than one ('---')");
                return null;
            }
            return stream.Documents[0].RootNode;
        }
        catch (YamlBoundException e)
        {
            error = new SpecError(new SourceLocation(file, (int)e.At.Line, (int)e.At.Column), "", e.Message);
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            if (message.Contains("same key", StringComparison.OrdinalIgnoreCase) || message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            {
                message = "duplicate key: " + message;
            }
            var (line, column) = message.Contains("tab", StringComparison.OrdinalIgnoreCase)
                ? TabAt(text, Math.Max(e.Start.Line, parser.LastEnd.Line)) ?? ((int)e.Start.Line, (int)e.Start.Column)
                : ((int)e.Start.Line, (int)e.Start.Column);
            error = new SpecError(new SourceLocation(file, line, column), "", $"invalid YAML: {Clean(message)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet reports some unterminated constructs at the end of input without a position.
            var lines = text.Split('\n');
            var last = lines.Length - (text.EndsWith('\n') ? 1 : 0);
            error = new SpecError(new SourceLocation(file, Math.Max(1, last), 1), "", "invalid YAML: the file ends inside an unclosed '[', '{' or quote");
        }
        return null;
    }

    /// <summary>
    /// The first tab in the indentation of a line from <paramref name="fromLine"/> on. YamlDotNet reports a tab
    /// used as indentation without a position (so at 1:1), or at the start of the scalar it was scanning; the tab
    /// itself is at or after the last event that parsed.
    /// </summary>
    private static (int Line, int Column)? TabAt(string text, long fromLine)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(0, fromLine - 1); i < lines.Length; i++)
        {
            var line = lines[i];
            for (var c = 0; c < line.Length && line[c] is ' ' or '\t'; c++)
            {
                if (line[c] == '\t') return (i + 1, c + 1);
            }
        }
        return null;
    }

    private static string Clean(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return i >= 0 && message.StartsWith('(') ? message[(i + 3)..] : message;
    }

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0
        ? $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
}
