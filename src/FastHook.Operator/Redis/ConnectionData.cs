using System.Text.Json;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Delivery;
using FastHook.Gateway.Replay;
using FastHook.Gateway.Storage;
using StackExchange.Redis;

namespace FastHook.Operator.Redis;

/// <summary>
/// What the operator reads and writes in the gateway's Redis for a connection: delivery counters, replay
/// requests and their progress, and the cleanup when the connection is deleted.
/// </summary>
public sealed class ConnectionData(IConnectionMultiplexer redis, RedisKeys keys)
{
    private static readonly JsonSerializerOptions AttemptJson = new(JsonSerializerDefaults.Web);
    private readonly EventStore _events = new(redis, keys);
    private readonly ReplayStore _replays = new(redis, keys);

    public async Task<DeliveryCounts> CountAsync(string qualifiedName)
    {
        var connection = keys.Connection(qualifiedName);
        var (pending, scheduled, _) = await _events.CountAsync(connection);
        var deadLettered = await redis.GetDatabase().StreamLengthAsync(connection.DeadLetters);
        return new DeliveryCounts(pending, scheduled, deadLettered);
    }

    /// <summary>
    /// Returns whether the gateways' circuit breaker for <paramref name="destination"/> holds deliveries (open or
    /// probing) and since when, or null when it is closed or has never opened.
    /// </summary>
    public async Task<DateTimeOffset?> CircuitOpenedAtAsync(string destination)
    {
        var fields = await redis.GetDatabase().HashGetAsync(keys.Destination(destination).Circuit, ["state", "openedAt"]);
        if (fields[0].IsNull || fields[0] == "closed")
        {
            return null;
        }

        return fields[1].TryParse(out long openedAt) ? DateTimeOffset.FromUnixTimeMilliseconds(openedAt) : DateTimeOffset.UnixEpoch;
    }

    /// <summary>
    /// Reads the recorded delivery attempts of a sample of the connection's events: the
    /// <paramref name="eventsPerSet"/> newest by receive time, the next due for a retry, the newest in the events
    /// stream (retried and replayed events among them) and the newest dead letters, with at most
    /// <paramref name="attemptsPerEvent"/> attempts each. Attempts that never reached the destination, such as a
    /// failed transform, are left out.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryAttempt>> RecentAttemptsAsync(string qualifiedName, int eventsPerSet, int attemptsPerEvent)
    {
        var connection = keys.Connection(qualifiedName);
        var database = redis.GetDatabase();
        var batch = database.CreateBatch();
        var newest = batch.SortedSetRangeByRankAsync(connection.Index, 0, eventsPerSet - 1, Order.Descending);
        var retrying = batch.SortedSetRangeByRankAsync(connection.Scheduled, 0, eventsPerSet - 1);
        var waiting = batch.StreamRangeAsync(connection.Events, "-", "+", eventsPerSet, Order.Descending);
        var deadLetters = batch.StreamRangeAsync(connection.DeadLetters, "-", "+", eventsPerSet, Order.Descending);
        batch.Execute();
        await Task.WhenAll(newest, retrying, waiting, deadLetters);

        // Scheduled members are "eventId|requestId|attempt|receivedAtMs|source", and both streams keep the
        // event id in the field "e" (empty for an entry Redis lost).
        var eventIds = new HashSet<string>(StringComparer.Ordinal);
        eventIds.UnionWith(newest.Result.Select(id => id.ToString()));
        eventIds.UnionWith(retrying.Result.Select(member => member.ToString().Split('|')[0]));
        eventIds.UnionWith(waiting.Result.Concat(deadLetters.Result).Select(entry => entry["e"].ToString()));
        eventIds.Remove("");

        // An event whose first attempt succeeded keeps that attempt in its hash, not in the list.
        var reads = database.CreateBatch();
        var lists = eventIds.Select(id => reads.ListRangeAsync(connection.Attempts(id), -attemptsPerEvent, -1)).ToList();
        var firsts = eventIds.Select(id => reads.HashGetAsync(connection.Event(id), "firstAttempt")).ToList();
        reads.Execute();
        await Task.WhenAll(lists);
        await Task.WhenAll(firsts);

        var attempts = new List<DeliveryAttempt>();
        foreach (var first in firsts)
        {
            if (FirstAttemptCodec.Decode(first.Result) is { } record)
            {
                attempts.Add(new DeliveryAttempt(qualifiedName, record.StartedAt, Succeeded: true, record.Status, record.Error));
            }
        }

        foreach (var value in lists.SelectMany(list => list.Result))
        {
            if (ParseAttempt(qualifiedName, value) is { } attempt)
            {
                attempts.Add(attempt);
            }
        }

        return attempts;
    }

    /// <summary>
    /// Creates the replay unless one of that name exists (the gateway's replay worker then runs it) and returns
    /// its stored record. Creating is idempotent per name in Redis, so a restarted operator never starts it twice.
    /// </summary>
    public async Task<ReplayRecord> EnsureReplayAsync(string qualifiedName, string name, DateTimeOffset from, DateTimeOffset to, string state, DateTimeOffset now)
    {
        var (record, _) = await _replays.CreateAsync(keys.Connection(qualifiedName), name, from, to, state, now);
        return record;
    }

    public Task<ReplayRecord?> GetReplayAsync(string qualifiedName, string name) => _replays.GetAsync(keys.Connection(qualifiedName), name);

    /// <summary>
    /// Removes the work of a deleted connection and lets the rest expire: the events stream and the retry set are
    /// deleted at once, so no gateway delivers its events again, and every other key (dead letters, event
    /// records, attempts, replays) expires after <paramref name="keepFor"/>, so they stay readable for a while.
    /// </summary>
    public async Task<int> CleanUpAsync(string qualifiedName, TimeSpan keepFor)
    {
        var connection = keys.Connection(qualifiedName);
        var database = redis.GetDatabase();
        await database.KeyDeleteAsync([connection.Events, connection.Scheduled]);

        var touched = 2;
        foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            await foreach (var key in server.KeysAsync(database.Database, pattern: EscapeGlob(connection.Base) + ":*", pageSize: 500))
            {
                await database.KeyExpireAsync(key, keepFor);
                touched++;
            }
        }

        return touched;
    }

    private static DeliveryAttempt? ParseAttempt(string connection, RedisValue value)
    {
        AttemptRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<AttemptRecord>(value.ToString(), AttemptJson);
        }
        catch (JsonException)
        {
            return null;
        }

        if (record is null || (record.Outcome != DeliveryOutcome.Success && !RetryOutcomes.All.Contains(record.Outcome)))
        {
            return null;
        }

        return new DeliveryAttempt(connection, record.StartedAt, record.Outcome == DeliveryOutcome.Success, record.Status, record.Error);
    }

    private static string EscapeGlob(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("*", "\\*", StringComparison.Ordinal)
            .Replace("?", "\\?", StringComparison.Ordinal)
            .Replace("[", "\\[", StringComparison.Ordinal);
}

public readonly record struct DeliveryCounts(long Pending, long Scheduled, long DeadLettered);
