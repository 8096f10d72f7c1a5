using FastHook.Gateway.Configuration;
using FastHook.Gateway.DeadLetter;
using FastHook.Gateway.Diagnostics;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// Delivers one connection's events in this process: moves due retries back into the stream, reclaims events
/// that a dead process held past the visibility timeout, reads new events as destination capacity frees up, and
/// hands each to the <see cref="DeliveryProcessor"/>. Any number of processes run one each per connection and
/// share the work through the consumer group.
/// </summary>
public sealed partial class DeliveryWorker(
    string connectionName,
    RouteTableProvider routes,
    EventStore events,
    DeliveryProcessor processor,
    DestinationLimiters limiters,
    DestinationRateLimiter rateLimiter,
    CircuitBreaker circuitBreaker,
    WakeSignals wake,
    GatewayOptions options,
    string consumer,
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger<DeliveryWorker> logger)
{
    private readonly HashSet<Task> _inFlight = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _inFlightEntries = new(StringComparer.Ordinal);
    private readonly LogThrottle _throttle = new(clock, TimeSpan.FromSeconds(30));
    private readonly string _wakeKey = "connection:" + connectionName;
    private long _nextDueCheckTicks = DateTimeOffset.MinValue.UtcTicks;
    private DateTimeOffset _nextReclaim = DateTimeOffset.MinValue;
    private bool _groupReady;

    public string ConnectionName => connectionName;

    private DateTimeOffset NextDueCheck => new(Interlocked.Read(ref _nextDueCheckTicks), TimeSpan.Zero);

    /// <summary>
    /// Runs until <paramref name="stopping"/> is cancelled or the connection is removed, then waits for in-flight
    /// deliveries until <paramref name="abandon"/> is cancelled.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abandon)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (!routes.Current.Connections.TryGetValue(connectionName, out var connection))
            {
                break;
            }

            try
            {
                await RunOnceAsync(connection, stopping, abandon);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (RedisException exception)
            {
                _groupReady = false;
                metrics.RedisErrors.WithLabels("delivery").Inc();
                if (_throttle.ShouldLog("redis", out var suppressed))
                {
                    Log.RedisFailed(logger, connectionName, suppressed, exception);
                }

                await DelayAsync(options.IdlePollInterval, stopping);
            }
        }

        await DrainAsync(abandon);
    }

    private async Task RunOnceAsync(ConnectionRoute connection, CancellationToken stopping, CancellationToken abandon)
    {
        if (!_groupReady)
        {
            await events.EnsureGroupAsync(connection);
            _groupReady = true;
        }

        var now = clock.GetUtcNow();
        if (now >= NextDueCheck)
        {
            var (_, nextDue) = await events.MoveDueAsync(connection, now, options.BatchSize * 4);
            var poll = now + options.IdlePollInterval;
            Interlocked.Exchange(ref _nextDueCheckTicks, (nextDue is { } due && due < poll ? due : poll).UtcTicks);
        }

        if (connection.Paused)
        {
            await wake.WaitAsync(_wakeKey, options.IdlePollInterval, stopping);
            return;
        }

        var limiter = limiters.For(connection.Destination);
        if (now >= _nextReclaim)
        {
            await ReclaimAsync(connection, limiter, abandon);
            _nextReclaim = now + VisibilityTimeout(connection) / 4;
        }

        // Read only as many events as the destination can take now, so unread events stay available to other processes.
        await limiter.WaitAsync(stopping);
        await GatherSlotsAsync(connection.Destination, limiter);
        StreamEntry[] entries;
        try
        {
            var wanted = await AllowedReadsAsync(connection.Destination, Math.Min(limiter.CurrentCount + 1, options.BatchSize), stopping);
            if (wanted == 0)
            {
                limiter.Release();
                return;
            }

            entries = await events.ReadNewAsync(connection, consumer, wanted);
            if (connection.Destination.RateLimit is { } rateLimit && entries.Length < wanted)
            {
                await rateLimiter.ReturnAsync(connection.Destination, rateLimit, wanted - entries.Length);
            }
        }
        catch
        {
            limiter.Release();
            throw;
        }

        if (entries.Length == 0)
        {
            limiter.Release();
            var untilDue = NextDueCheck - clock.GetUtcNow();
            var wait = untilDue < options.IdlePollInterval ? untilDue : options.IdlePollInterval;
            if (wait > TimeSpan.Zero)
            {
                await wake.WaitAsync(_wakeKey, wait, stopping);
            }

            return;
        }

        await DispatchAsync(connection, entries, limiter, holdsFirstSlot: true, abandon);
    }

    /// <summary>
    /// Lets the work already queued in the thread pool run first when most of the destination's slots are taken,
    /// so deliveries that finished together release their slots and one read refills them all. A timed wait
    /// here cut the read count but also the delivery rate, because a timer waits a millisecond or more.
    /// An idle destination is read from at once. The caller has taken one slot and keeps it.
    /// </summary>
    private static async Task GatherSlotsAsync(DestinationTarget destination, SemaphoreSlim limiter)
    {
        if (limiter.CurrentCount + 1 >= destination.MaxConcurrency / 2)
        {
            return;
        }

        await Task.Yield();
    }

    /// <summary>
    /// Returns how many of <paramref name="wanted"/> events may be read now under the destination's circuit breaker
    /// and rate limit; when none may, waits until that may change (at most one poll interval) and returns 0.
    /// </summary>
    private async Task<int> AllowedReadsAsync(DestinationTarget destination, int wanted, CancellationToken stopping)
    {
        if (destination.CircuitBreaker is { } breaker)
        {
            var (decision, wait) = await circuitBreaker.CheckAsync(destination, breaker);
            if (decision == CircuitDecision.Hold)
            {
                await DelayAsync(wait < options.IdlePollInterval ? wait : options.IdlePollInterval, stopping);
                return 0;
            }

            if (decision == CircuitDecision.Probe)
            {
                wanted = 1;
            }
        }

        if (destination.RateLimit is { } rateLimit)
        {
            var (granted, wait) = await rateLimiter.TakeAsync(destination, rateLimit, wanted);
            if (granted == 0)
            {
                await DelayAsync(wait < options.IdlePollInterval ? wait : options.IdlePollInterval, stopping);
            }

            return granted;
        }

        return wanted;
    }

    private async Task ReclaimAsync(ConnectionRoute connection, SemaphoreSlim limiter, CancellationToken abandon)
    {
        var (claimed, deleted) = await events.ClaimStaleAsync(connection, consumer, VisibilityTimeout(connection), options.BatchSize);
        if (deleted.Length > 0)
        {
            var ids = deleted.Select(id => id.ToString()).ToList();
            await events.RecordLostAsync(connection, ids, clock.GetUtcNow());
            metrics.EventsLost.WithLabels(connection.Name).Inc(ids.Count);
            metrics.DeadLetters.WithLabels(connection.Name, DeadLetterReasons.Lost).Inc(ids.Count);
            Log.EntriesLost(logger, connection.Name, ids.Count, string.Join(", ", ids.Take(10)));
        }

        if (claimed.Length > 0)
        {
            Log.Reclaimed(logger, connection.Name, claimed.Length);
            await DispatchAsync(connection, claimed, limiter, holdsFirstSlot: false, abandon);
        }
    }

    /// <summary>
    /// Reads the requests of <paramref name="entries"/> in one round trip and starts a delivery for each as a slot
    /// of the destination frees up. Entries Redis returned without fields are recorded as lost.
    /// </summary>
    private async Task DispatchAsync(ConnectionRoute connection, StreamEntry[] entries, SemaphoreSlim limiter, bool holdsFirstSlot, CancellationToken abandon)
    {
        var lost = new List<string>();
        var parsed = new List<EventEntry>(entries.Length);
        foreach (var streamEntry in entries)
        {
            if (EventEntry.Parse(streamEntry) is { } entry)
            {
                parsed.Add(entry);
            }
            else
            {
                lost.Add(streamEntry.Id.ToString());
            }
        }

        StoredRequest?[] requests;
        try
        {
            requests = parsed.Count == 0 ? [] : await processor.ReadRequestsAsync(parsed);
        }
        catch
        {
            if (holdsFirstSlot)
            {
                limiter.Release();
            }

            throw;
        }

        var slotHeld = holdsFirstSlot;
        for (var i = 0; i < parsed.Count; i++)
        {
            if (!slotHeld)
            {
                // An entry already read belongs to this consumer; it waits for a slot even during shutdown's grace period.
                await limiter.WaitAsync(abandon);
            }

            slotHeld = false;
            var entry = parsed[i];

            // XAUTOCLAIM also returns entries this process still works on, for example while it repeats the
            // write that records a 2xx during a Redis outage. Delivering those again would repeat a success.
            if (!_inFlightEntries.TryAdd(entry.EntryId, 0))
            {
                limiter.Release();
                continue;
            }

            var task = RunDeliveryAsync(connection, entry, requests[i], limiter, abandon);
            lock (_inFlight)
            {
                _inFlight.Add(task);
            }

            _ = task.ContinueWith(
                finished =>
                {
                    lock (_inFlight)
                    {
                        _inFlight.Remove(finished);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        if (slotHeld)
        {
            limiter.Release();
        }

        if (lost.Count > 0)
        {
            await events.RecordLostAsync(connection, lost, clock.GetUtcNow());
            metrics.EventsLost.WithLabels(connection.Name).Inc(lost.Count);
            metrics.DeadLetters.WithLabels(connection.Name, DeadLetterReasons.Lost).Inc(lost.Count);
            Log.EntriesLost(logger, connection.Name, lost.Count, string.Join(", ", lost.Take(10)));
        }
    }

    private async Task RunDeliveryAsync(ConnectionRoute connection, EventEntry entry, StoredRequest? request, SemaphoreSlim limiter, CancellationToken abandon)
    {
        await Task.Yield();
        try
        {
            if (await processor.ProcessAsync(connection, entry, request, consumer, abandon) is { } due)
            {
                NoteRetryDue(due);
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            Log.Abandoned(logger, connection.Name, entry.EventId);
        }
        catch (Exception exception)
        {
            // The event stays pending under this consumer; the visibility timeout hands it to a live process.
            if (exception is RedisException)
            {
                metrics.RedisErrors.WithLabels("delivery").Inc();
            }

            Log.ProcessFailed(logger, connection.Name, entry.EventId, exception);
        }
        finally
        {
            _inFlightEntries.TryRemove(entry.EntryId, out _);
            limiter.Release();
        }
    }

    /// <summary>
    /// Brings the next check for due retries forward to <paramref name="due"/>, so a short retry delay is kept
    /// without waiting for the next poll.
    /// </summary>
    private void NoteRetryDue(DateTimeOffset due)
    {
        var ticks = due.UtcTicks;
        var current = Interlocked.Read(ref _nextDueCheckTicks);
        while (ticks < current)
        {
            var seen = Interlocked.CompareExchange(ref _nextDueCheckTicks, ticks, current);
            if (seen == current)
            {
                wake.Wake(_wakeKey);
                return;
            }

            current = seen;
        }
    }

    private async Task DrainAsync(CancellationToken abandon)
    {
        Task[] remaining;
        lock (_inFlight)
        {
            remaining = [.. _inFlight];
        }

        if (remaining.Length == 0)
        {
            return;
        }

        Log.Draining(logger, connectionName, remaining.Length);
        try
        {
            await Task.WhenAll(remaining).WaitAsync(abandon);
        }
        catch (OperationCanceledException)
        {
            // The deliveries were cancelled; their events stay pending and are reclaimed by another process.
        }
    }

    private TimeSpan VisibilityTimeout(ConnectionRoute connection)
    {
        var minimum = connection.Destination.Timeout * 2;
        return options.VisibilityTimeout > minimum ? options.VisibilityTimeout : minimum;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, clock, stopping);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(310, LogLevel.Error, "Delivery of connection {Connection} cannot reach Redis; retrying. {Suppressed} more failures were not logged")]
        public static partial void RedisFailed(ILogger logger, string connection, long suppressed, Exception exception);

        [LoggerMessage(311, LogLevel.Warning, "Reclaimed {Count} events of connection {Connection} from a consumer that held them past the visibility timeout")]
        public static partial void Reclaimed(ILogger logger, string connection, int count);

        [LoggerMessage(312, LogLevel.Error, "Redis reported {Count} events of connection {Connection} as deleted or trimmed while pending; dead-lettered as lost: {EntryIds}")]
        public static partial void EntriesLost(ILogger logger, string connection, int count, string entryIds);

        [LoggerMessage(313, LogLevel.Warning, "Abandoned the delivery of event {EventId} of connection {Connection} at shutdown; another process will deliver it")]
        public static partial void Abandoned(ILogger logger, string connection, string eventId);

        [LoggerMessage(314, LogLevel.Error, "Processing event {EventId} of connection {Connection} failed; it stays pending and is retried after the visibility timeout")]
        public static partial void ProcessFailed(ILogger logger, string connection, string eventId, Exception exception);

        [LoggerMessage(315, LogLevel.Information, "Waiting for {Count} in-flight deliveries of connection {Connection} before stopping")]
        public static partial void Draining(ILogger logger, string connection, int count);
    }
}
