using Expt.Internal;

namespace Expt.Recording;

/// <summary>
/// A run's notes: the spec's <c>notes:</c> and the notes added later with <c>expt note</c>, which are appended to the
/// manifest (atomically, holding the run lock, so no runner rewrites the manifest meanwhile and loses them).
/// </summary>
public static class RunNotes
{
    /// <summary>The longest note accepted.</summary>
    public const int MaxLength = 10_000;

    /// <summary>The most notes a run keeps.</summary>
    public const int MaxNotes = 1_000;

    /// <summary>Every note as one text: the spec's first, then each added note as <c>[yyyy-MM-dd HH:mm:ssZ] text</c>; null when none.</summary>
    public static string? Text(string? specNotes, IReadOnlyList<RunNote>? added)
    {
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(specNotes)) lines.Add(specNotes.TrimEnd('\n'));
        foreach (var note in added ?? []) lines.Add(Line(note));
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>An added note as one line: <c>[2026-12-04 15:30:00Z] text</c>.</summary>
    public static string Line(RunNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        return $"[{Timestamps.Log(note.At.ToUniversalTime())}Z] {note.Text}";
    }

    /// <summary>
    /// Appends a note to the manifest of the run in <paramref name="runDirectory"/>; the problem (and nothing written)
    /// when the text is empty or too long, the run has no manifest or a runner holds it.
    /// </summary>
    public static string? Add(string runDirectory, string text, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length == 0) return "the note is empty";
        if (text.Length > MaxLength) return $"the note has {text.Length} characters, more than the {MaxLength} kept";
        try
        {
            using var runLock = RunLock.TryAcquire(runDirectory, out var holder);
            if (runLock is null) return $"a runner holds the run ({holder ?? "another process"}); add the note once it has ended";
            return AddLocked(runDirectory, text, at);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return $"cannot add the note: {e.Message}";
        }
    }

    private static string? AddLocked(string runDirectory, string text, DateTimeOffset at)
    {
        var manifest = ManifestStore.Read(runDirectory);
        if (manifest is null) return $"{runDirectory} has no {RunManifest.FileName}";
        var notes = manifest.Notes ?? [];
        if (notes.Count >= MaxNotes) return $"the run already has {MaxNotes} notes, the most kept";
        var updated = manifest with { Notes = [.. notes, new RunNote(at, text)] };
        JsonFiles.Write(RunFiles.ManifestPath(runDirectory), updated, durable: true);
        // The manifest now holds every journal line replayed above; a stale journal would only replay them again.
        File.Delete(RunFiles.JournalPath(runDirectory));
        return null;
    }
}
