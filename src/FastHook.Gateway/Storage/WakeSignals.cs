using System.Collections.Concurrent;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Wakes idle workers when new work is written. StackExchange.Redis cannot block on XREADGROUP over its shared
/// connection, so workers poll at a bounded rate and every write that creates work also publishes a wake-up
/// message; latency stays low without busy polling.
/// </summary>
public sealed class WakeSignals : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _signals = new(StringComparer.Ordinal);
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;

    private WakeSignals(ISubscriber subscriber, RedisChannel channel)
    {
        _subscriber = subscriber;
        _channel = channel;
    }

    public static async Task<WakeSignals> SubscribeAsync(IConnectionMultiplexer redis, RedisKeys keys)
    {
        var signals = new WakeSignals(redis.GetSubscriber(), keys.WakeChannel);
        await signals._subscriber.SubscribeAsync(signals._channel, (_, message) => signals.Wake(message.ToString()));
        return signals;
    }

    /// <summary>Wakes the worker waiting on <paramref name="key"/> ("source:ns/name" or "connection:ns/name").</summary>
    public void Wake(string key)
    {
        var signal = _signals.GetOrAdd(key, _ => new SemaphoreSlim(0, 1));
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another thread released it first; one pending wake-up is enough.
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="key"/> is woken or <paramref name="timeout"/> passes; returns true when woken.
    /// </summary>
    public Task<bool> WaitAsync(string key, TimeSpan timeout, CancellationToken cancellationToken) =>
        _signals.GetOrAdd(key, _ => new SemaphoreSlim(0, 1)).WaitAsync(timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _subscriber.UnsubscribeAsync(_channel);
        foreach (var signal in _signals.Values)
        {
            signal.Dispose();
        }
    }
}
