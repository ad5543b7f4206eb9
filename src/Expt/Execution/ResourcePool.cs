using Expt.Specs;

namespace Expt.Execution;

/// <summary>What one running job holds.</summary>
public sealed record Allocation(IReadOnlyList<string> Gpus, int Cpus, long MemoryMb)
{
    /// <summary>Nothing held.</summary>
    public static readonly Allocation None = new([], 0, 0);
}

/// <summary>
/// The machine's GPUs, CPUs and memory as shared by running jobs: a job gets exactly the GPUs it asks for,
/// no two running jobs share a GPU, and declared CPUs and memory are never oversubscribed.
/// </summary>
public sealed class ResourcePool
{
    private readonly IReadOnlyList<string> _gpus;
    private readonly int _totalCpus;
    private readonly long _totalMemoryMb;
    private readonly List<string> _freeGpus;
    private int _freeCpus;
    private long _freeMemory;

    /// <summary>A pool of the given GPU ids, CPUs and MiB of memory.</summary>
    public ResourcePool(IReadOnlyList<string> gpus, int totalCpus, long totalMemoryMb)
    {
        _gpus = gpus;
        _totalCpus = totalCpus;
        _totalMemoryMb = totalMemoryMb;
        _freeGpus = [.. gpus];
        _freeCpus = totalCpus;
        _freeMemory = totalMemoryMb;
    }

    /// <summary>Why a request can never be met on this machine, or null when it can.</summary>
    public string? Impossible(ResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (request.Gpus > _gpus.Count) problems.Add($"needs {request.Gpus} GPU(s) but {_gpus.Count} {(_gpus.Count == 1 ? "is" : "are")} available (--gpus)");
        if (request.Cpus > _totalCpus) problems.Add($"needs {request.Cpus} CPUs but the machine has {_totalCpus}");
        if (request.MemoryMb > _totalMemoryMb) problems.Add($"needs {request.MemoryMb} MiB of memory but the machine has {_totalMemoryMb} MiB");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>Takes what the request needs, or returns null when it is not free now.</summary>
    public Allocation? TryAcquire(ResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cpu = request.Cpus ?? 0;
        var mem = request.MemoryMb ?? 0;
        if (request.Gpus > _freeGpus.Count || cpu > _freeCpus || mem > _freeMemory) return null;
        var taken = _freeGpus.Take(request.Gpus).ToList();
        _freeGpus.RemoveRange(0, request.Gpus);
        _freeCpus -= cpu;
        _freeMemory -= mem;
        return request.Gpus == 0 && cpu == 0 && mem == 0 ? Allocation.None : new Allocation(taken, cpu, mem);
    }

    /// <summary>Takes specific GPUs back from an adopted job that still holds them.</summary>
    public Allocation Claim(IReadOnlyList<string> held, ResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(request);
        var taken = held.Where(_freeGpus.Remove).ToList();
        _freeCpus -= request.Cpus ?? 0;
        _freeMemory -= request.MemoryMb ?? 0;
        return new Allocation(taken, request.Cpus ?? 0, request.MemoryMb ?? 0);
    }

    /// <summary>Returns an allocation.</summary>
    public void Release(Allocation allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        _freeGpus.AddRange(allocation.Gpus);
        _freeGpus.Sort((a, b) => IndexOf(a).CompareTo(IndexOf(b)));
        _freeCpus += allocation.Cpus;
        _freeMemory += allocation.MemoryMb;
    }

    private int IndexOf(string gpu)
    {
        for (var i = 0; i < _gpus.Count; i++)
        {
            if (_gpus[i] == gpu) return i;
        }
        return int.MaxValue;
    }

    /// <summary>Whether a GPU pool exists (then jobs that ask for none see none).</summary>
    public bool HasGpus => _gpus.Count > 0;
}
