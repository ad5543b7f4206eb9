using System.Text;
using Expt.Internal;

namespace Expt.Slurm.Scripts;

/// <summary>What one array's sbatch script says.</summary>
/// <param name="RunId">The run, for the header.</param>
/// <param name="Stage">The stage its tasks run.</param>
/// <param name="Number">The array's number within the run (its files are <c>array-NNNN.*</c>).</param>
/// <param name="Directives">The stage's sbatch options.</param>
/// <param name="Array">The <c>--array</c> value, e.g. <c>0-19%4</c>.</param>
/// <param name="Dependency">The <c>--dependency</c> value, when the tasks wait for others.</param>
/// <param name="BeginDelay">Seconds before the tasks may start (retry backoff), when any.</param>
/// <param name="IndexFile">The file mapping task index → attempt and job directory.</param>
internal sealed record ArrayScriptContent(string RunId, string Stage, int Number, IReadOnlyList<string> Directives, string Array, string? Dependency, int? BeginDelay, string IndexFile);

/// <summary>
/// The sbatch script of one job array. Each task looks its own index up in the array's index file and runs
/// that job's wrapper, so one script serves any number of jobs and the submission stays one sbatch call.
/// </summary>
internal static class ArrayScript
{
    public static string Render(ArrayScriptContent c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var sb = new StringBuilder();
        sb.Append("#!/bin/sh\n");
        foreach (var d in c.Directives) sb.Append("#SBATCH ").Append(d).Append('\n');
        sb.Append("#SBATCH --array=").Append(c.Array).Append('\n');
        if (c.Dependency is not null) sb.Append("#SBATCH --dependency=").Append(c.Dependency).Append('\n');
        if (c.BeginDelay is { } delay) sb.Append("#SBATCH --begin=now+").Append(delay.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        sb.Append($$"""
            # Written by Expt for run {{c.RunId}}, stage {{c.Stage}}, array {{c.Number}}. Task N runs the job listed under N
            # in the index file; that job's wrapper records the attempt's start and end in the job's .expt/ folder.
            index={{Shell.Quote(c.IndexFile)}}
            tab=$(printf '\t')
            while IFS="$tab" read -r i attempt dir; do
              if [ "$i" = "$SLURM_ARRAY_TASK_ID" ]; then
                exec sh "$dir/.expt/slurm-job.sh" "$attempt"
              fi
            done < "$index"
            echo "expt: array task $SLURM_ARRAY_TASK_ID is not listed in $index" >&2
            exit 127

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        return sb.ToString();
    }
}
