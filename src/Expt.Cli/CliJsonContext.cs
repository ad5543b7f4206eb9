using System.Text.Json;
using System.Text.Json.Serialization;
using Expt.Cli.Commands;
using Expt.Internal;

namespace Expt.Cli;

/// <summary>
/// Source-generated JSON metadata for the CLI's own <c>--json</c> outputs (no reflection: the native <c>expt</c>
/// writes them too). Expt's types come from the library's metadata.
/// </summary>
[JsonSerializable(typeof(CleanCommand.CleanSummary))]
[JsonSerializable(typeof(ArchiveCommand.ArchiveSummary))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>Expt's file conventions, with the CLI's types added.</summary>
    public static JsonSerializerOptions Files => field ??= JsonFiles.Including(Default);
}
