namespace Expt.Slurm.Tests.Support;

/// <summary>Waits for a condition that real processes make true, failing with a description when it does not.</summary>
internal static class Eventually
{
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds} s waiting until {what}");
            await Task.Delay(200);
        }
    }

    public static Task Until(Func<bool> condition, TimeSpan timeout, string what) => Until(() => Task.FromResult(condition()), timeout, what);
}
