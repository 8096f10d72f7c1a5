using FastHook.Gateway.Configuration;
using FastHook.Gateway.Diagnostics;
using FastHook.Gateway.Filtering;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Routing;

/// <summary>
/// Turns one source's captured requests into one event per connection, through the "router" consumer group.
/// Creating an event is idempotent, so a request routed again after a crash creates no duplicates, and the
/// request is acknowledged only after all its events exist.
/// </summary>
public sealed partial class Router(
    string sourceName,
    RouteTableProvider routes,
    WakeSignals wake,
    GatewayOptions options,
    string consumer,
    GatewayMetrics metrics,
    TimeProvider clock,
    IConnectionMultiplexer redis,
    ILogger<Router> logger)
{
    private readonly LogThrottle _throttle = new(clock, TimeSpan.FromSeconds(30));
    private readonly string _wakeKey = "source:" + sourceName;
    private DateTimeOffset _nextReclaim = DateTimeOffset.MinValue;
    private bool _groupReady;

    public string SourceName => sourceName;

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            if (!routes.Current.Sources.TryGetValue(sourceName, out var source))
            {
                return;
            }

            try
            {
                await RunOnceAsync(source, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (RedisException exception)
            {
                _groupReady = false;
                metrics.RedisErrors.WithLabels("routing").Inc();
                if (_throttle.ShouldLog("redis", out var suppressed))
                {
                    Log.RedisFailed(logger, sourceName, suppressed, exception);
                }

                try
                {
                    await Task.Delay(options.IdlePollInterval, clock, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RunOnceAsync(SourceRoute source, CancellationToken stopping)
    {
        var database = redis.GetDatabase();
        if (!_groupReady)
        {
            await StreamGroups.EnsureAsync(database, source.Keys.Requests, RedisKeys.RouterGroup);
            _groupReady = true;
        }

        if (source.Connections.Any(connection => connection.Ordering is not null) && !await HoldRouterLockAsync(database, source))
        {
            // Another process routes this source; routing it here too could reorder an ordered connection.
            await Task.Delay(options.IdlePollInterval, clock, stopping);
            return;
        }

        var now = clock.GetUtcNow();
        if (now >= _nextReclaim)
        {
            _nextReclaim = now + options.VisibilityTimeout / 4;
            var claimed = await database.StreamAutoClaimAsync(source.Keys.Requests, RedisKeys.RouterGroup, consumer, (long)options.VisibilityTimeout.TotalMilliseconds, "0-0", options.BatchSize);
            if (claimed.DeletedIds is { Length: > 0 } deleted)
            {
                await database.StreamAcknowledgeAsync(source.Keys.Requests, RedisKeys.RouterGroup, deleted);
                Log.RequestsLost(logger, source.Name, deleted.Length);
            }

            if (claimed.ClaimedEntries is { Length: > 0 } stale)
            {
                await RouteAsync(database, source, stale);
            }
        }

        var entries = await database.StreamReadGroupAsync(source.Keys.Requests, RedisKeys.RouterGroup, consumer, StreamPosition.NewMessages, options.BatchSize);
        if (entries.Length == 0)
        {
            await wake.WaitAsync(_wakeKey, options.IdlePollInterval, stopping);
            return;
        }

        await RouteAsync(database, source, entries);
    }

    /// <summary>
    /// Takes or renews the lock that makes this process the only router of a source with an ordered connection.
    /// NOTE: requests a crashed router held are reclaimed after the visibility timeout and may then be routed
    /// after later requests, so after such a crash an ordered key can see those requests out of order.
    /// </summary>
    private async Task<bool> HoldRouterLockAsync(IDatabase database, SourceRoute source)
    {
        var lease = options.VisibilityTimeout;
        return await database.LockExtendAsync(source.Keys.RouterLock, consumer, lease)
            || await database.LockTakeAsync(source.Keys.RouterLock, consumer, lease);
    }

    /// <summary>
    /// Creates the events of a batch of requests with one script call per connection, wakes the connections'
    /// delivery workers, and acknowledges the requests once every event exists.
    /// </summary>
    private async Task RouteAsync(IDatabase database, SourceRoute source, StreamEntry[] entries)
    {
        var now = clock.GetUtcNow();
        var connections = source.Connections;
        var routed = new List<RoutedEvent>[connections.Length];
        for (var c = 0; c < connections.Length; c++)
        {
            routed[c] = new List<RoutedEvent>(entries.Length);
        }

        foreach (var entry in entries)
        {
            if (entry.IsNull)
            {
                continue;
            }

            var requestId = entry.Id.ToString();
            var receivedAt = StreamIds.Milliseconds(requestId);
            StoredRequest? request = null;
            FilterInput? filterInput = null;
            for (var c = 0; c < connections.Length; c++)
            {
                var connection = connections[c];
                string? orderingKey = null;
                if (connection.Ordering is { } ordering)
                {
                    request ??= filterInput?.Request ?? RequestStore.Parse(entry);
                    orderingKey = OrderingKey(ordering, request);
                }

                var eventId = EventIds.Create(source.Name, requestId, connection.Name);
                if (connection.Filter is { } filter && !Passes(filter, connection, entry, eventId, ref filterInput))
                {
                    continue;
                }

                routed[c].Add(new RoutedEvent(eventId, requestId, receivedAt, orderingKey));
            }

            filterInput?.Dispose();
        }

        var batch = database.CreateBatch();
        var created = new Task<RedisResult>?[connections.Length];
        for (var c = 0; c < connections.Length; c++)
        {
            if (routed[c].Count > 0)
            {
                created[c] = EventStore.RouteAsync(batch, connections[c], routed[c], now);
            }
        }

        batch.Execute();
        for (var c = 0; c < connections.Length; c++)
        {
            if (created[c] is { } result && (int)await result is var count and > 0)
            {
                metrics.EventsRouted.WithLabels(connections[c].Name).Inc(count);
                WakeDelivery(connections[c], count);
            }
        }

        await database.StreamAcknowledgeAsync(source.Keys.Requests, RedisKeys.RouterGroup, entries.Select(entry => entry.Id).ToArray());
        Log.Routed(logger, source.Name, entries.Length, connections.Length);
    }

    /// <summary>
    /// Wakes the delivery workers of a connection that has <paramref name="created"/> new events. This process's
    /// worker is woken directly. The other processes are woken through Redis too, so that a busy worker does not
    /// keep a batch others could deliver, unless there is a single event and this process's worker is idle.
    /// </summary>
    private void WakeDelivery(ConnectionRoute connection, int created)
    {
        var key = "connection:" + connection.Name;
        wake.Notify(key, everyProcess: created > 1 || !wake.IsWaiting(key));
    }

    /// <summary>
    /// Returns the event's ordering key: the header's or JSON field's value, or "" when the connection is ordered
    /// as a whole or the request lacks the value, so such events share one key.
    /// </summary>
    private static string OrderingKey(OrderingSettings ordering, StoredRequest request)
    {
        if (ordering.Header is { } header)
        {
            return request.Header(header) ?? "";
        }

        if (ordering.JsonPath is { } path)
        {
            return JsonFieldReader.ReadScalar(request.Body.Span, [.. path]) ?? "";
        }

        return "";
    }

    /// <summary>
    /// Applies a connection's filter to the request in <paramref name="entry"/>. A request that does not pass is
    /// counted and creates no event, but stays in the source's stream for inspection. Routing the same request again
    /// after a crash counts it again.
    /// </summary>
    private bool Passes(RequestFilter filter, ConnectionRoute connection, StreamEntry entry, string eventId, ref FilterInput? input)
    {
        input ??= new FilterInput(RequestStore.Parse(entry));
        var verdict = filter.Evaluate(input);
        if (verdict.Passed)
        {
            return true;
        }

        metrics.EventsFiltered.WithLabels(connection.Name).Inc();
        if (verdict.Error is { } error)
        {
            metrics.FilterErrors.WithLabels(connection.Name).Inc();
            if (_throttle.ShouldLog("filter:" + connection.Name, out var suppressed))
            {
                Log.FilterFailed(logger, connection.Name, eventId, input.Request.Id, error, suppressed);
            }
        }
        else
        {
            Log.Filtered(logger, connection.Name, eventId, input.Request.Id);
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Debug, "Routed {Requests} requests of source {Source} to {Connections} connections")]
        public static partial void Routed(ILogger logger, string source, int requests, int connections);

        [LoggerMessage(201, LogLevel.Error, "Routing of source {Source} cannot reach Redis; retrying. {Suppressed} more failures were not logged")]
        public static partial void RedisFailed(ILogger logger, string source, long suppressed, Exception exception);

        [LoggerMessage(202, LogLevel.Error, "Redis reported {Count} requests of source {Source} as deleted or trimmed before they were routed")]
        public static partial void RequestsLost(ILogger logger, string source, int count);

        [LoggerMessage(203, LogLevel.Debug, "Request {RequestId} did not pass the filter of connection {Connection}; event {EventId} was not created")]
        public static partial void Filtered(ILogger logger, string connection, string eventId, string requestId);

        [LoggerMessage(204, LogLevel.Warning, "The filter of connection {Connection} failed on request {RequestId}, so event {EventId} was not created: {Error}. {Suppressed} more failures were not logged")]
        public static partial void FilterFailed(ILogger logger, string connection, string eventId, string requestId, string error, long suppressed);
    }
}
