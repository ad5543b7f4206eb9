using System.Globalization;
using Expt.Planning;
using Expt.Recording;

namespace Expt.Execution;

/// <summary>The EXPT_* variables every job gets (PRODUCT.md "How a job gets its config").</summary>
public static class JobEnvironment
{
    /// <summary>Builds a job's environment.</summary>
    public static Dictionary<string, string> Build(RunSession session, PlannedJob job, int attempt, Allocation allocation, bool machineHasGpus)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(allocation);
        var dir = session.JobDirectory(job);
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["EXPT_CONFIG"] = RunFiles.ConfigPath(dir),
            ["EXPT_OUTPUT_DIR"] = dir,
            ["EXPT_RUN_DIR"] = session.Directory,
            ["EXPT_RUN_ID"] = session.RunId,
            ["EXPT_EXPERIMENT"] = session.Plan.Definition.Name,
            ["EXPT_VARIANT"] = job.Variant.Name,
            ["EXPT_KIND"] = job.Variant.Kind,
            ["EXPT_STAGE"] = job.Stage.Name,
            ["EXPT_JOB_ID"] = job.Id,
            ["EXPT_GIT_COMMIT"] = session.Git.Commit,
            ["EXPT_ATTEMPT"] = attempt.ToString(CultureInfo.InvariantCulture),
            ["EXPT_SHARD_INDEX"] = job.ShardIndex.ToString(CultureInfo.InvariantCulture),
            ["EXPT_SHARD_COUNT"] = job.ShardCount.ToString(CultureInfo.InvariantCulture),
            ["PYTHONUNBUFFERED"] = "1",
        };
        if (allocation.Gpus.Count > 0 || machineHasGpus)
        {
            // A job that asked for no GPU sees none, so it cannot take one another job was given.
            env["CUDA_VISIBLE_DEVICES"] = string.Join(",", allocation.Gpus);
        }
        if (allocation.Cpus > 0) env["OMP_NUM_THREADS"] = allocation.Cpus.ToString(CultureInfo.InvariantCulture);
        return env;
    }
}
