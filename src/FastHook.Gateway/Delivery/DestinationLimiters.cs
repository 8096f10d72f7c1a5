using System.Collections.Concurrent;
using FastHook.Gateway.Configuration;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// One concurrency limit per destination, shared by every connection that delivers to it.
/// A changed <c>maxConcurrency</c> takes effect with a new semaphore; deliveries holding the old one release it.
/// </summary>
public sealed class DestinationLimiters
{
    private readonly ConcurrentDictionary<string, (int Limit, SemaphoreSlim Semaphore)> _limiters = new(StringComparer.Ordinal);

    public SemaphoreSlim For(DestinationTarget destination)
    {
        var current = _limiters.AddOrUpdate(
            destination.Name,
            _ => (destination.MaxConcurrency, new SemaphoreSlim(destination.MaxConcurrency)),
            (_, existing) => existing.Limit == destination.MaxConcurrency
                ? existing
                : (destination.MaxConcurrency, new SemaphoreSlim(destination.MaxConcurrency)));
        return current.Semaphore;
    }
}
