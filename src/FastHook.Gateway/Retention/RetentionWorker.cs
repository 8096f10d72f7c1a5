using FastHook.Gateway.Configuration;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Retention;

/// <summary>
/// Trims stored data by age: events and attempts past the connection's retention once delivered, dead letters
/// past the dead-letter retention, and requests past the source's retention. Nothing still pending or
/// scheduled is removed, and a request is kept while any event that needs it is pinned.
/// </summary>
public sealed partial class RetentionWorker(
    RouteTableProvider routes,
    IConnectionMultiplexer redis,
    GatewayOptions options,
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger<RetentionWorker> logger)
{
    private const int BatchSize = 500;

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync();
            }
            catch (RedisException exception)
            {
                metrics.RedisErrors.WithLabels("retention").Inc();
                Log.Failed(logger, exception);
            }

            try
            {
                await Task.Delay(options.RetentionInterval, clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs one retention pass over every source and connection.</summary>
    public async Task RunOnceAsync()
    {
        var table = routes.Current;
        var now = clock.GetUtcNow();
        var database = redis.GetDatabase();

        foreach (var connection in table.Connections.Values)
        {
            await ExpireEventsAsync(database, connection, now);
            await database.StreamTrimByMinIdAsync(connection.Keys.DeadLetters, MinId(now - connection.DeadLetterRetention));
            await RemoveIdleConsumersAsync(database, connection.Keys.Events, RedisKeys.DeliveryGroup);
        }

        foreach (var source in table.Sources.Values)
        {
            await TrimRequestsAsync(database, source, now);
            await RemoveIdleConsumersAsync(database, source.Keys.Requests, RedisKeys.RouterGroup);
        }
    }

    /// <summary>
    /// Removes consumers of stopped gateway processes from a group: each process joins under a new name, so
    /// without this the group's consumer list grows with every restart. Only consumers with nothing pending
    /// are removed, so no entry loses its owner.
    /// </summary>
    private async Task RemoveIdleConsumersAsync(IDatabase database, RedisKey stream, string group)
    {
        StreamConsumerInfo[] consumers;
        try
        {
            consumers = await database.StreamConsumerInfoAsync(stream, group);
        }
        catch (RedisServerException exception) when (StreamGroups.IsMissingGroup(exception) || exception.Message.StartsWith("ERR no such key", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var consumer in consumers)
        {
            if (consumer.PendingMessageCount == 0 && consumer.IdleTimeInMilliseconds > (long)options.IdleConsumerLimit.TotalMilliseconds)
            {
                await database.StreamDeleteConsumerAsync(stream, group, consumer.Name);
                Log.ConsumerRemoved(logger, consumer.Name, stream.ToString());
            }
        }
    }

    private static async Task ExpireEventsAsync(IDatabase database, ConnectionRoute connection, DateTimeOffset now)
    {
        var keys = connection.Keys;
        var offset = 0L;
        while (true)
        {
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(
                Scripts.Expire,
                [keys.Index, keys.Pins],
                [(now - connection.Retention).ToUnixTimeMilliseconds(), (now - connection.DeadLetterRetention).ToUnixTimeMilliseconds(), BatchSize,
                    keys.EventKeyPrefix, keys.AttemptsKeyPrefix, offset]))!;
            var deleted = (long)result[0];
            var kept = (long)result[1];
            offset += kept;
            if (deleted + kept < BatchSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Trims a source's requests older than its retention, but never past the oldest request a pinned event
    /// needs or a request the router has not finished with.
    /// </summary>
    private async Task TrimRequestsAsync(IDatabase database, SourceRoute source, DateTimeOffset now)
    {
        var cutoff = (now - source.Retention).ToUnixTimeMilliseconds();

        foreach (var connection in source.Connections)
        {
            var oldestPin = await database.SortedSetRangeByRankWithScoresAsync(connection.Keys.Pins, 0, 0);
            if (oldestPin.Length > 0)
            {
                cutoff = Math.Min(cutoff, (long)oldestPin[0].Score);
            }
        }

        if (await OldestUnroutedAsync(database, source) is { } unrouted)
        {
            cutoff = Math.Min(cutoff, unrouted);
        }

        var trimmed = await database.StreamTrimByMinIdAsync(source.Keys.Requests, MinId(DateTimeOffset.FromUnixTimeMilliseconds(cutoff)));
        if (trimmed > 0)
        {
            metrics.RequestsExpired.WithLabels(source.Name).Inc(trimmed);
            Log.RequestsTrimmed(logger, source.Name, trimmed);
        }
    }

    /// <summary>The time of the oldest request the router holds or has not read yet, or null when it has none.</summary>
    private static async Task<long?> OldestUnroutedAsync(IDatabase database, SourceRoute source)
    {
        if (!await database.KeyExistsAsync(source.Keys.Requests))
        {
            return null;
        }

        StreamGroupInfo[] groups;
        try
        {
            groups = await database.StreamGroupInfoAsync(source.Keys.Requests);
        }
        catch (RedisServerException)
        {
            return null;
        }

        var router = groups.FirstOrDefault(group => group.Name == RedisKeys.RouterGroup);
        if (router.Name is null)
        {
            // Without the group nothing has been routed yet: keep everything.
            return 0;
        }

        long? oldest = null;
        if (router.PendingMessageCount > 0)
        {
            var pending = await database.StreamPendingAsync(source.Keys.Requests, RedisKeys.RouterGroup);
            oldest = StreamIds.Milliseconds(pending.LowestPendingMessageId.ToString());
        }

        // Entries after the group's last-delivered id have not been read; the first of them bounds the trim.
        var unread = await database.StreamRangeAsync(source.Keys.Requests, "(" + (router.LastDeliveredId ?? "0-0"), "+", 1);
        if (unread.Length > 0)
        {
            var first = StreamIds.Milliseconds(unread[0].Id.ToString());
            oldest = oldest is null ? first : Math.Min(oldest.Value, first);
        }

        return oldest;
    }

    private static string MinId(DateTimeOffset time) => $"{Math.Max(0, time.ToUnixTimeMilliseconds())}-0";

    private static partial class Log
    {
        [LoggerMessage(500, LogLevel.Error, "Retention pass failed; it runs again at the next interval")]
        public static partial void Failed(ILogger logger, Exception exception);

        [LoggerMessage(501, LogLevel.Information, "Trimmed {Count} requests of source {Source} past its retention")]
        public static partial void RequestsTrimmed(ILogger logger, string source, long count);

        [LoggerMessage(502, LogLevel.Information, "Removed consumer {Consumer}, idle with nothing pending, from the group of {Stream}")]
        public static partial void ConsumerRemoved(ILogger logger, string consumer, string stream);
    }
}
