using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Expt.Recording;
using Expt.Reporting;
using Expt.Reporting.Paired;
using Expt.Results;

namespace Expt.Internal;

/// <summary>
/// Source-generated JSON metadata for every type Expt writes or reads with <see cref="JsonFiles"/> and
/// <see cref="ReportJson"/>: no reflection, so the same code runs trimmed and as a native executable. The options
/// (naming, enums as snake_case, nulls) come from those classes at run time; a type missing here fails in every test
/// that writes it, not only in the native build.
/// </summary>
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(ManifestJob))]
[JsonSerializable(typeof(JobStatus))]
[JsonSerializable(typeof(IReadOnlyList<JobStatus>))]
[JsonSerializable(typeof(ArchivePointer))]
[JsonSerializable(typeof(ResultsRoot.CreatedOnly))]
[JsonSerializable(typeof(RunReport))]
[JsonSerializable(typeof(RunComparison))]
[JsonSerializable(typeof(StudyReport))]
[JsonSerializable(typeof(SignificanceFile.Document))]
internal sealed partial class ExptJsonContext : JsonSerializerContext;
