using System.Runtime.CompilerServices;
using System.Text;

namespace Expt.Testing;

/// <summary>
/// Compares generated text (a public API listing) with <c>NAME.approved.txt</c> committed next to the calling test file. On a
/// difference it fails with a line diff and writes the current text beside the approved one as
/// <c>NAME.received.txt</c> (ignored by git). Setting the variable named by the caller (EXPT_ACCEPT_API for the
/// API snapshots) to 1 rewrites the approved file instead: a deliberate change is accepted by running the test
/// once with it and committing the file. A missing approved file is written and, under CI=true, fails the run.
/// </summary>
public static class ApprovedFile
{
    private const int Context = 3;

    public static void Match(string actual, string name, string acceptVariable, [CallerFilePath] string callerFile = "")
    {
        var dir = Path.GetDirectoryName(callerFile)!;
        var path = Path.Combine(dir, name + ".approved.txt");
        var received = Path.Combine(dir, name + ".received.txt");
        var current = Normalize(actual);
        if (Environment.GetEnvironmentVariable(acceptVariable) == "1" || !File.Exists(path))
        {
            var missing = !File.Exists(path);
            Directory.CreateDirectory(dir);
            File.WriteAllText(path, current);
            File.Delete(received);
            if (missing && Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail($"{name}.approved.txt was missing and has been written; review and commit it");
            }
            return;
        }
        var approved = Normalize(File.ReadAllText(path));
        if (approved == current)
        {
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, current);
        Assert.Fail(
            $"{name} differs from {name}.approved.txt ('-' approved, '+' now; the whole text is in {name}.received.txt).\n" +
            $"If the change is deliberate, accept it: run this test with {acceptVariable}=1 and commit {name}.approved.txt.\n\n" +
            Diff(approved, current));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    /// <summary>A unified-style line diff (longest common subsequence) with a few lines of context around each change.</summary>
    internal static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var lines = new List<(char Mark, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', a[x++]));
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) lines.Add(('-', a[x++]));
            else lines.Add(('+', b[y++]));
        }
        var output = new StringBuilder();
        var shownUpTo = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            if (lines[k].Mark == ' ') continue;
            var from = Math.Max(k - Context, shownUpTo + 1);
            if (from > shownUpTo + 1 && output.Length > 0) output.Append("...\n");
            var to = k;
            while (to + 1 < lines.Count && (lines[to + 1].Mark != ' ' || NextChangeWithin(lines, to + 1))) to++;
            to = Math.Min(lines.Count - 1, to + Context);
            for (var m = from; m <= to; m++) output.Append(lines[m].Mark).Append(' ').Append(lines[m].Text).Append('\n');
            shownUpTo = to;
            k = to;
        }
        return output.ToString();
    }

    private static bool NextChangeWithin(List<(char Mark, string Text)> lines, int start)
    {
        for (var k = start; k < lines.Count && k <= start + (2 * Context); k++)
        {
            if (lines[k].Mark != ' ') return true;
        }
        return false;
    }
}
