namespace Expt.Metrics;

/// <summary>
/// Reads everything a job left behind about its results: <c>metrics.json</c>, <c>metrics.jsonl</c>
/// and Inspect AI logs. Called once per job during a reindex, so it reads only those files,
/// streams them, and never throws for bad input.
/// </summary>
public static class MetricsReader
{
    /// <summary>Reads the metrics of one job directory.</summary>
    /// <param name="jobDirectory">The job's directory.</param>
    /// <returns>The metrics found; problems with the input are in <see cref="JobMetrics.Warnings"/>.</returns>
    /// <remarks>
    /// <para>Sources, all optional:</para>
    /// <list type="bullet">
    /// <item><c>metrics.json</c> in the directory itself: one JSON object of numbers, strings and
    /// booleans; nested objects are flattened with dots (<c>{"eval": {"loss": 1}}</c> is <c>eval.loss</c>);
    /// <c>null</c> is skipped; arrays are skipped with a warning. Python's bare <c>NaN</c>,
    /// <c>Infinity</c> and <c>-Infinity</c> are accepted. A file that does not parse contributes nothing.</item>
    /// <item><c>metrics.jsonl</c> in the directory itself: one <c>{"step": n, "name": value, ...}</c>
    /// object per line, flattened like <c>metrics.json</c>; every name becomes a series in
    /// <see cref="JobMetrics.Series"/>. Blank lines are ignored; a line that does not parse, or has no
    /// whole-number <c>step</c>, is skipped with a warning naming its line; an unparseable last line
    /// with no newline after it is a job still writing and is skipped silently.</item>
    /// <item>Inspect AI logs (<c>*.eval</c>, and <c>*.json</c> files that are Inspect logs) in the
    /// directory and up to three levels of subdirectories, e.g. <c>logs/</c> or <c>eval/task/logs/</c> (hidden
    /// directories, symbolic links, <c>__pycache__</c> and <c>node_modules</c> excluded; when the job directory is
    /// itself a symbolic link, only its top level, with a warning); see
    /// <see cref="InspectLogReader"/>. They are listed in <see cref="JobMetrics.InspectLogs"/> oldest
    /// first (by <c>eval.created</c>, then path).</item>
    /// </list>
    /// <para>Scalar metrics (<see cref="JobMetrics.Scalars"/>), when several sources give the same name,
    /// come from the first of:</para>
    /// <list type="number">
    /// <item><c>metrics.json</c>: what the job declared final.</item>
    /// <item>Inspect logs' scorer metrics, named <c>{score}/{metric}</c> (e.g. <c>match/accuracy</c>)
    /// when every log found is of the same task, and <c>{task}/{score}/{metric}</c>
    /// (e.g. <c>popularity/match/accuracy</c>) when the logs are of two or more tasks. Counting tasks
    /// rather than files keeps names stable when a crashed attempt leaves a second log of the same task
    /// beside the finished one. Between logs giving the same name, the newest wins. A value taken from a log
    /// that did not succeed is named in <see cref="JobMetrics.FromUnsuccessfulLogs"/>.</item>
    /// <item>The last value of each series in <c>metrics.jsonl</c>.</item>
    /// </list>
    /// <para>All paths in the result are full paths.</para>
    /// </remarks>
    public static JobMetrics Read(string jobDirectory) => Read(jobDirectory, []);

    /// <summary>
    /// Reads the metrics of one job directory plus Inspect logs kept elsewhere: the files <c>collect:</c>
    /// moved out of it into the experiment's flat folder are still the job's results.
    /// </summary>
    /// <param name="jobDirectory">The job's directory.</param>
    /// <param name="movedInspectLogs">Full paths of the job's Inspect logs outside its directory; missing ones are skipped.</param>
    public static JobMetrics Read(string jobDirectory, IReadOnlyCollection<string> movedInspectLogs)
    {
        ArgumentNullException.ThrowIfNull(movedInspectLogs);
        ArgumentException.ThrowIfNullOrWhiteSpace(jobDirectory);

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(jobDirectory));
        var warnings = new List<MetricsWarning>();
        (bool exists, string? linkTarget) = JobDirectoryFiles.Examine(root);
        if (!exists)
        {
            warnings.Add(new MetricsWarning(root, null, "the job directory does not exist"));
            return JobMetrics.Empty with { Warnings = warnings };
        }

        // A job directory that is itself a link may lead anywhere (a dataset, or /): only its own top level is read.
        if (linkTarget is not null)
        {
            warnings.Add(new MetricsWarning(root, null, $"the job directory is a symbolic link (to {linkTarget}): only its top level is read, its subdirectories are not searched for Inspect logs"));
        }

        JobDirectoryFiles files = JobDirectoryFiles.Find(root, searchSubdirectories: linkTarget is null);
        var names = new MetricNames();
        var scalars = new Dictionary<string, MetricValue>(StringComparer.Ordinal);

        if (files.MetricsJson is { } metricsJson)
        {
            var fileWarnings = new FileWarnings(metricsJson, warnings);
            foreach ((string name, MetricValue value) in MetricsJsonFile.Read(metricsJson, names, fileWarnings))
            {
                scalars[name] = value;
            }

            fileWarnings.Flush();
        }

        var series = new Dictionary<string, List<MetricPoint>>(StringComparer.Ordinal);
        if (files.MetricsJsonl is { } metricsJsonl)
        {
            var fileWarnings = new FileWarnings(metricsJsonl, warnings);
            MetricsJsonlFile.Read(metricsJsonl, names, series, fileWarnings);
            fileWarnings.Flush();
        }

        var candidates = files.InspectCandidates;
        if (movedInspectLogs.Count > 0)
        {
            candidates = candidates.Concat(movedInspectLogs.Where(File.Exists)).Distinct(StringComparer.Ordinal).ToList();
        }

        List<InspectLogSummary> logs = ReadInspectLogs(candidates, warnings);
        HashSet<string> unsuccessful = AddInspectScalars(logs, scalars);

        var readOnlySeries = new Dictionary<string, IReadOnlyList<MetricPoint>>(series.Count, StringComparer.Ordinal);
        foreach ((string name, List<MetricPoint> points) in series)
        {
            scalars.TryAdd(name, points[^1].Value);
            readOnlySeries.Add(name, points);
        }

        return new JobMetrics(scalars, readOnlySeries, logs, warnings) { FromUnsuccessfulLogs = unsuccessful };
    }

    private static List<InspectLogSummary> ReadInspectLogs(List<string> candidates, List<MetricsWarning> warnings)
    {
        var logs = new List<InspectLogSummary>();
        foreach (string candidate in candidates)
        {
            if (InspectLogReader.Read(candidate, warnings) is { } log)
            {
                logs.Add(log);
            }
        }

        logs.Sort(static (a, b) =>
        {
            int byCreated = Nullable.Compare(a.Created, b.Created);
            return byCreated != 0 ? byCreated : string.CompareOrdinal(a.Path, b.Path);
        });
        return logs;
    }

    /// <returns>The names whose value came from a log that did not succeed.</returns>
    private static HashSet<string> AddInspectScalars(List<InspectLogSummary> logs, Dictionary<string, MetricValue> scalars)
    {
        string? firstTask = null;
        bool severalTasks = false;
        foreach (InspectLogSummary log in logs)
        {
            if (log.Task is null)
            {
                continue;
            }

            firstTask ??= log.Task;
            severalTasks |= !string.Equals(firstTask, log.Task, StringComparison.Ordinal);
        }

        var fromLogs = new Dictionary<string, (MetricValue Value, bool Succeeded)>(StringComparer.Ordinal);
        foreach (InspectLogSummary log in logs)
        {
            foreach ((string name, double value) in log.Metrics)
            {
                // Oldest first, so a newer log's value overwrites an older one's.
                fromLogs[severalTasks ? $"{log.Task}/{name}" : name] = (MetricValue.FromNumber(value), log.Status == InspectLogStatus.Success);
            }
        }

        var unsuccessful = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, (MetricValue value, bool succeeded)) in fromLogs)
        {
            if (scalars.TryAdd(name, value) && !succeeded)
            {
                unsuccessful.Add(name);
            }
        }

        return unsuccessful;
    }
}
