using System.Collections.Concurrent;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Wakes idle workers when new work is written. StackExchange.Redis cannot block on XREADGROUP over its shared
/// connection, so workers poll at a bounded rate and are woken when work arrives. The process that writes the
/// work wakes its own worker directly. It publishes a wake-up message, which every gateway process receives,
/// only when another process's worker should take the work.
/// </summary>
public sealed class WakeSignals : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Signal> _signals = new(StringComparer.Ordinal);
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

    /// <summary>Wakes this process's worker waiting on <paramref name="key"/> ("source:ns/name" or "connection:ns/name").</summary>
    public void Wake(string key)
    {
        var signal = _signals.GetOrAdd(key, _ => new Signal()).Semaphore;
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
    /// Wakes this process's worker on <paramref name="key"/>, and with <paramref name="everyProcess"/> the workers
    /// of every gateway process through Redis. The message is sent without waiting for Redis: a lost wake-up
    /// delays work by at most one poll interval and loses nothing.
    /// </summary>
    public void Notify(string key, bool everyProcess)
    {
        Wake(key);
        if (everyProcess)
        {
            _subscriber.Publish(_channel, key, CommandFlags.FireAndForget);
        }
    }

    /// <summary>Returns true when a worker of this process waits on <paramref name="key"/> now.</summary>
    public bool IsWaiting(string key) => _signals.TryGetValue(key, out var signal) && Volatile.Read(ref signal.Waiters) > 0;

    /// <summary>
    /// Waits until <paramref name="key"/> is woken or <paramref name="timeout"/> passes; returns true when woken.
    /// </summary>
    public async Task<bool> WaitAsync(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var signal = _signals.GetOrAdd(key, _ => new Signal());
        Interlocked.Increment(ref signal.Waiters);
        try
        {
            return await signal.Semaphore.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref signal.Waiters);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _subscriber.UnsubscribeAsync(_channel);
        foreach (var signal in _signals.Values)
        {
            signal.Dispose();
        }
    }

    /// <summary>One key's pending wake-up (at most one) and the number of workers waiting for it.</summary>
    private sealed class Signal : IDisposable
    {
        public readonly SemaphoreSlim Semaphore = new(0, 1);

        public int Waiters;

        public void Dispose() => Semaphore.Dispose();
    }
}
