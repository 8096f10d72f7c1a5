using System.Globalization;
using System.Text.Json;
using FastHook.Gateway.Configuration;
using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// Reads and changes a connection's events: routing, delivery bookkeeping, retries, dead letters and re-enqueueing.
/// Every change that spans keys is one Lua script, so a crash never leaves an event half moved.
/// </summary>
public sealed class EventStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    /// <summary>Attempt records leave out empty fields (a success's error), which saves Redis memory per attempt.</summary>
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private IDatabase Database => redis.GetDatabase();

    public RedisKeys Keys => keys;

    /// <summary>
    /// Creates the events of <paramref name="routed"/> for <paramref name="connection"/>, each unless it exists, in
    /// one script call; the result is the number created.
    /// </summary>
    public static Task<RedisResult> RouteAsync(IDatabaseAsync database, ConnectionRoute connection, IReadOnlyList<RoutedEvent> routed, DateTimeOffset now)
    {
        var connectionKeys = connection.Keys;
        var delay = (long)connection.Delay.TotalMilliseconds;
        var arguments = new RedisValue[3 + (routed.Count * 6)];
        arguments[0] = connection.SourceName;
        arguments[1] = now.ToUnixTimeMilliseconds();
        arguments[2] = connectionKeys.EventKeyPrefix;
        var next = 3;
        foreach (var item in routed)
        {
            arguments[next++] = item.EventId;
            arguments[next++] = item.RequestId;
            arguments[next++] = item.ReceivedAtMs;
            arguments[next++] = delay > 0 ? item.ReceivedAtMs + delay : 0;
            arguments[next++] = item.OrderingKey is null ? "" : connectionKeys.OrderQueue(item.OrderingKey);
            arguments[next++] = item.OrderingKey is null ? "" : OrderMember(item.RequestId, item.EventId);
        }

        return database.ScriptEvaluateAsync(Scripts.Route, [connectionKeys.Events, connectionKeys.Index, connectionKeys.Pins, connectionKeys.Scheduled], arguments);
    }

    /// <summary>
    /// Returns the member of an event in its ordering queue. All members score 0, so the queue sorts them by this
    /// text: the request id's milliseconds and sequence, zero-padded so text order is receipt order.
    /// </summary>
    public static string OrderMember(string requestId, string eventId)
    {
        var dash = requestId.IndexOf('-', StringComparison.Ordinal);
        var milliseconds = long.Parse(requestId.AsSpan(0, dash), CultureInfo.InvariantCulture);
        var sequence = long.Parse(requestId.AsSpan(dash + 1), CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{milliseconds:D15}-{sequence:D10}|{eventId}");
    }

    public Task EnsureGroupAsync(ConnectionRoute connection) =>
        StreamGroups.EnsureAsync(Database, connection.Keys.Events, RedisKeys.DeliveryGroup);

    /// <summary>Reads up to <paramref name="count"/> events no consumer has taken yet.</summary>
    public async Task<StreamEntry[]> ReadNewAsync(ConnectionRoute connection, string consumer, int count) =>
        await Database.StreamReadGroupAsync(connection.Keys.Events, RedisKeys.DeliveryGroup, consumer, StreamPosition.NewMessages, count);

    /// <summary>
    /// Takes over events that another consumer has held longer than <paramref name="minIdle"/>. Returns the claimed
    /// entries and the ids Redis reports as deleted while pending.
    /// </summary>
    public async Task<(StreamEntry[] Claimed, RedisValue[] Deleted)> ClaimStaleAsync(ConnectionRoute connection, string consumer, TimeSpan minIdle, int count)
    {
        var result = await Database.StreamAutoClaimAsync(connection.Keys.Events, RedisKeys.DeliveryGroup, consumer, (long)minIdle.TotalMilliseconds, "0-0", count);
        return (result.ClaimedEntries ?? [], result.DeletedIds ?? []);
    }

    /// <summary>
    /// Records the successful attempts of <paramref name="completed"/>, events of <paramref name="connection"/>, in
    /// one script call.
    /// </summary>
    public async Task CompleteAsync(ConnectionRoute connection, IReadOnlyList<(EventEntry Entry, AttemptRecord Attempt)> completed, int maxAttemptRecords)
    {
        var connectionKeys = connection.Keys;
        var arguments = new RedisValue[4 + (completed.Count * 6)];
        arguments[0] = RedisKeys.DeliveryGroup;
        arguments[1] = maxAttemptRecords;
        arguments[2] = connectionKeys.EventKeyPrefix;
        arguments[3] = connectionKeys.AttemptsKeyPrefix;
        var next = 4;
        foreach (var (entry, attempt) in completed)
        {
            arguments[next++] = entry.EntryId;
            arguments[next++] = entry.EventId;
            arguments[next++] = Serialize(attempt);
            arguments[next++] = attempt.StartedAt.ToUnixTimeMilliseconds();
            arguments[next++] = attempt.Status ?? 0;
            arguments[next++] = FirstAttemptCodec.Encode(attempt);
        }

        await Database.ScriptEvaluateAsync(Scripts.Complete, [connectionKeys.Events, connectionKeys.Pins], arguments);
    }

    /// <summary>
    /// Records a failed attempt and schedules attempt <paramref name="nextAttempt"/> at <paramref name="due"/>.
    /// Returns false when another consumer took the entry over, in which case nothing changed.
    /// </summary>
    public async Task<bool> ScheduleRetryAsync(ConnectionRoute connection, EventEntry entry, string consumer, AttemptRecord attempt, int nextAttempt, DateTimeOffset due, int maxAttemptRecords)
    {
        var connectionKeys = connection.Keys;
        var result = await Database.ScriptEvaluateAsync(
            Scripts.ScheduleRetry,
            [connectionKeys.Events, connectionKeys.Scheduled, connectionKeys.Event(entry.EventId), connectionKeys.Attempts(entry.EventId)],
            [entry.EntryId, RedisKeys.DeliveryGroup, consumer, Serialize(attempt), attempt.StartedAt.ToUnixTimeMilliseconds(), due.ToUnixTimeMilliseconds(),
                entry.ScheduledMember(nextAttempt), attempt.Status ?? 0, attempt.Error ?? "", maxAttemptRecords]);
        return (int)result == 1;
    }

    /// <summary>
    /// Moves an event to the dead-letter stream, recording <paramref name="attempt"/> when one was made.
    /// Returns false when another consumer took the entry over, in which case nothing changed.
    /// </summary>
    public async Task<bool> DeadLetterAsync(ConnectionRoute connection, EventEntry entry, string consumer, AttemptRecord? attempt, string reason, DateTimeOffset now, int maxAttemptRecords)
    {
        var connectionKeys = connection.Keys;
        var result = await Database.ScriptEvaluateAsync(
            Scripts.DeadLetter,
            [connectionKeys.Events, connectionKeys.DeadLetters, connectionKeys.Event(entry.EventId), connectionKeys.Attempts(entry.EventId)],
            [entry.EntryId, RedisKeys.DeliveryGroup, consumer, attempt is null ? "" : Serialize(attempt), now.ToUnixTimeMilliseconds(), entry.EventId,
                entry.RequestId, entry.Source, entry.Attempt, reason, attempt?.Status?.ToString(CultureInfo.InvariantCulture) ?? "", attempt?.Error ?? "", maxAttemptRecords,
                connectionKeys.EventKeyPrefix]);
        return (int)result == 1;
    }

    /// <summary>
    /// Acknowledges entries Redis reported as deleted or trimmed while pending, and dead-letters each with reason "lost".
    /// </summary>
    public async Task RecordLostAsync(ConnectionRoute connection, IReadOnlyList<string> entryIds, DateTimeOffset now)
    {
        var arguments = new List<RedisValue> { RedisKeys.DeliveryGroup, now.ToUnixTimeMilliseconds() };
        arguments.AddRange(entryIds.Select(id => (RedisValue)id));
        await Database.ScriptEvaluateAsync(Scripts.RecordLost, [connection.Keys.Events, connection.Keys.DeadLetters], [.. arguments]);
    }

    /// <summary>
    /// Moves due retries back into the events stream; returns how many moved and when the next one is due.
    /// </summary>
    public async Task<(int Moved, DateTimeOffset? NextDue)> MoveDueAsync(ConnectionRoute connection, DateTimeOffset now, int limit)
    {
        var connectionKeys = connection.Keys;
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            Scripts.MoveDue,
            [connectionKeys.Scheduled, connectionKeys.Events],
            [now.ToUnixTimeMilliseconds(), limit, keys.WakeChannel.ToString(), "connection:" + connection.Name, connectionKeys.EventKeyPrefix]))!;
        var nextDue = (long)result[1];
        return ((int)result[0], nextDue < 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(nextDue));
    }

    /// <summary>
    /// Puts the given events back into delivery when their state passes <paramref name="stateFilter"/>
    /// (all, failed or deadLettered). Returns how many matched and how many were enqueued.
    /// </summary>
    public async Task<(int Matched, int Enqueued)> ReenqueueAsync(ConnectionRoute connection, IReadOnlyList<string> eventIds, string stateFilter)
    {
        var connectionKeys = connection.Keys;
        var arguments = new List<RedisValue> { keys.WakeChannel.ToString(), "connection:" + connection.Name, connectionKeys.EventKeyPrefix, stateFilter };
        arguments.AddRange(eventIds.Select(id => (RedisValue)id));
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            Scripts.Reenqueue,
            [connectionKeys.Events, connectionKeys.Scheduled, connectionKeys.Pins],
            [.. arguments]))!;
        return ((int)result[0], (int)result[1]);
    }

    public async Task<StoredEvent?> GetAsync(ConnectionKeys connectionKeys, string eventId)
    {
        var fields = await Database.HashGetAllAsync(connectionKeys.Event(eventId));
        return fields.Length == 0 ? null : ToStoredEvent(eventId, fields);
    }

    /// <summary>
    /// Lists events newest first by receive time, at most <paramref name="limit"/>, optionally only those in
    /// <paramref name="state"/>. <paramref name="cursor"/> is the <c>next</c> value of the previous page.
    /// </summary>
    public async Task<(IReadOnlyList<StoredEvent> Events, string? Next)> ListAsync(ConnectionKeys connectionKeys, string? state, string? cursor, int limit)
    {
        var events = new List<StoredEvent>();
        var offset = cursor is null ? 0 : long.Parse(cursor, CultureInfo.InvariantCulture);
        var scanned = 0;

        // A state filter can skip many events, so the scan reads pages until the page is full or the index ends.
        while (events.Count < limit && scanned < 10_000)
        {
            var ids = await Database.SortedSetRangeByRankAsync(connectionKeys.Index, offset, offset + limit - 1, Order.Descending);
            if (ids.Length == 0)
            {
                return (events, null);
            }

            var batch = Database.CreateBatch();
            var reads = ids.Select(id => batch.HashGetAllAsync(connectionKeys.Event(id.ToString()))).ToArray();
            batch.Execute();
            await Task.WhenAll(reads);

            for (var i = 0; i < ids.Length; i++)
            {
                offset++;
                scanned++;
                var fields = reads[i].Result;
                if (fields.Length == 0)
                {
                    continue;
                }

                var stored = ToStoredEvent(ids[i].ToString(), fields);
                if (state is null || stored.State == state)
                {
                    events.Add(stored);
                    if (events.Count == limit)
                    {
                        break;
                    }
                }
            }
        }

        return (events, offset.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Returns an event's attempt records, oldest first: its first attempt when that was a success kept in the
    /// event's hash, then the attempt list.
    /// </summary>
    public async Task<IReadOnlyList<AttemptRecord>> GetAttemptsAsync(ConnectionKeys connectionKeys, string eventId)
    {
        var batch = Database.CreateBatch();
        var first = batch.HashGetAsync(connectionKeys.Event(eventId), "firstAttempt");
        var list = batch.ListRangeAsync(connectionKeys.Attempts(eventId));
        batch.Execute();

        var attempts = new List<AttemptRecord>();
        if (FirstAttemptCodec.Decode(await first) is { } firstAttempt)
        {
            attempts.Add(firstAttempt);
        }

        foreach (var value in await list)
        {
            attempts.Add(JsonSerializer.Deserialize<AttemptRecord>((string)value!, JsonOptions)!);
        }

        return attempts;
    }

    /// <summary>
    /// Lists dead letters newest first, starting before the entry id <paramref name="before"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> ListDeadLettersAsync(ConnectionKeys connectionKeys, string? before, int limit)
    {
        if (before is "0-0")
        {
            // Nothing comes before the first possible id, and Redis rejects "(0-0" as a range end.
            return [];
        }

        var entries = await Database.StreamRangeAsync(connectionKeys.DeadLetters, "-", before is null ? "+" : "(" + before, limit, Order.Descending);
        return entries.Where(entry => !entry.IsNull).Select(ToDeadLetter).ToList();
    }

    /// <summary>
    /// Returns the number of events waiting for delivery or in flight, the number scheduled for a retry,
    /// and the receive time of the oldest event waiting for delivery.
    /// </summary>
    public async Task<(long Pending, long Scheduled, DateTimeOffset? OldestPending)> CountAsync(ConnectionKeys connectionKeys)
    {
        var batch = Database.CreateBatch();
        var pending = batch.StreamLengthAsync(connectionKeys.Events);
        var scheduled = batch.SortedSetLengthAsync(connectionKeys.Scheduled);
        var oldest = batch.StreamRangeAsync(connectionKeys.Events, "-", "+", 1);
        batch.Execute();
        await Task.WhenAll(pending, scheduled, oldest);

        DateTimeOffset? oldestPending = null;
        if (oldest.Result.Length > 0 && EventEntry.Parse(oldest.Result[0]) is { } entry)
        {
            oldestPending = DateTimeOffset.FromUnixTimeMilliseconds(entry.ReceivedAtMs);
        }

        return (pending.Result, scheduled.Result, oldestPending);
    }

    private static string Serialize(AttemptRecord attempt) => JsonSerializer.Serialize(attempt, JsonOptions);

    private static StoredEvent ToStoredEvent(string id, HashEntry[] fields)
    {
        var map = fields.ToDictionary(field => field.Name.ToString(), field => field.Value.ToString(), StringComparer.Ordinal);
        return new StoredEvent
        {
            Id = id,
            RequestId = map.GetValueOrDefault("requestId", ""),
            Source = map.GetValueOrDefault("source", ""),
            State = map.GetValueOrDefault("state", ""),
            Attempts = ParseInt(map.GetValueOrDefault("attempts")) ?? 0,
            ReceivedAt = Time(map.GetValueOrDefault("receivedAt")) ?? DateTimeOffset.UnixEpoch,
            // A success removes lastAttemptAt, so the last attempt is the delivery until a later attempt fails.
            LastAttemptAt = Time(map.GetValueOrDefault("lastAttemptAt")) ?? Time(map.GetValueOrDefault("deliveredAt")),
            LastStatus = ParseInt(map.GetValueOrDefault("lastStatus")) is { } status and not 0 ? status : null,
            LastError = map.GetValueOrDefault("lastError") is { Length: > 0 } error ? error : null,
            NextAttemptAt = Time(map.GetValueOrDefault("nextAttemptAt")),
            DeliveredAt = Time(map.GetValueOrDefault("deliveredAt")),
            DeadLetteredAt = Time(map.GetValueOrDefault("deadLetteredAt")),
            DeadLetterReason = map.GetValueOrDefault("deadLetterReason"),
            Replays = ParseInt(map.GetValueOrDefault("replays")) ?? 0,
        };
    }

    private static DeadLetterEntry ToDeadLetter(StreamEntry entry)
    {
        var map = entry.Values.ToDictionary(field => field.Name.ToString(), field => field.Value.ToString(), StringComparer.Ordinal);
        return new DeadLetterEntry
        {
            Id = entry.Id.ToString(),
            EventId = map.GetValueOrDefault("e", ""),
            RequestId = map.GetValueOrDefault("r", ""),
            Attempts = ParseInt(map.GetValueOrDefault("n")) ?? 0,
            Reason = map.GetValueOrDefault("reason", ""),
            LastStatus = ParseInt(map.GetValueOrDefault("status")),
            LastError = map.GetValueOrDefault("error") is { Length: > 0 } error ? error : null,
            DeadLetteredAt = Time(map.GetValueOrDefault("at")) ?? DateTimeOffset.UnixEpoch,
        };
    }

    private static int? ParseInt(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static DateTimeOffset? Time(string? milliseconds) =>
        long.TryParse(milliseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(value)
            : null;
}
