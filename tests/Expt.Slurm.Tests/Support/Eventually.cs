namespace Expt.Slurm.Tests.Support;

/// <summary>Waits for a condition that real processes make true, failing with a description when it does not.</summary>
internal static class Eventually
{
    public static Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what) => Until(condition, timeout, () => what);

    /// <summary>Waits; <paramref name="what"/> is asked only on failure, so it can describe the last thing seen.</summary>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds} s waiting until {what()}");
            await Task.Delay(200);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string what) => Until(() => Task.FromResult(condition()), timeout, what);
}
