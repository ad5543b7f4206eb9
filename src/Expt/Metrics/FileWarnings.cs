namespace Expt.Metrics;

/// <summary>
/// Collects the warnings of one file, keeping at most <see cref="Limit"/> of them so that a
/// million-line file of garbage yields a readable report rather than a million warnings.
/// </summary>
internal sealed class FileWarnings(string file, ICollection<MetricsWarning> target)
{
    internal const int Limit = 20;

    private int _count;

    public string File => file;

    public void Add(int? line, string message)
    {
        _count++;
        if (_count <= Limit)
        {
            target.Add(new MetricsWarning(file, line, message));
        }
    }

    /// <summary>Says the whole file was left unread, and why (see <see cref="MetricsWarning.NotRead"/>).</summary>
    public void NotRead(string message)
    {
        _count++;
        if (_count <= Limit)
        {
            target.Add(new MetricsWarning(file, null, message) { NotRead = true });
        }
    }

    /// <summary>Adds one closing warning counting the problems that were not listed.</summary>
    public void Flush()
    {
        if (_count > Limit)
        {
            target.Add(new MetricsWarning(file, null, $"{_count - Limit} more problems in this file were not listed"));
            _count = Limit;
        }
    }
}
