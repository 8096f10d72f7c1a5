using System.Globalization;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Storage;
using StackExchange.Redis;

namespace FastHook.Gateway.Replay;

/// <summary>
/// Stores replay requests of a connection and runs their batches.
/// </summary>
public sealed class ReplayStore(IConnectionMultiplexer redis, RedisKeys keys)
{
    private IDatabase Database => redis.GetDatabase();

    /// <summary>
    /// Creates a replay; returns the stored record and whether this call created it. A name that exists returns
    /// the existing record unchanged, so repeating a request never runs it twice.
    /// </summary>
    public async Task<(ReplayRecord Record, bool Created)> CreateAsync(ConnectionKeys connection, string name, DateTimeOffset from, DateTimeOffset to, string state, DateTimeOffset now)
    {
        var created = (int)await Database.ScriptEvaluateAsync(
            Scripts.CreateReplay,
            [connection.Replay(name), connection.Replays],
            [name, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), state, now.ToUnixTimeMilliseconds()]) == 1;
        var record = await GetAsync(connection, name);
        return (record!, created);
    }

    public async Task<ReplayRecord?> GetAsync(ConnectionKeys connection, string name)
    {
        var fields = await Database.HashGetAllAsync(connection.Replay(name));
        return fields.Length == 0 ? null : ToRecord(fields);
    }

    /// <summary>Lists replays newest first.</summary>
    public async Task<IReadOnlyList<ReplayRecord>> ListAsync(ConnectionKeys connection, int limit)
    {
        var names = await Database.SortedSetRangeByRankAsync(connection.Replays, 0, limit - 1, Order.Descending);
        var records = new List<ReplayRecord>();
        foreach (var name in names)
        {
            if (await GetAsync(connection, name.ToString()) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    /// <summary>Names of replays that have not finished, oldest first.</summary>
    public async Task<IReadOnlyList<string>> ListUnfinishedAsync(ConnectionKeys connection)
    {
        var names = await Database.SortedSetRangeByRankAsync(connection.Replays, 0, -1);
        var unfinished = new List<string>();
        foreach (var name in names)
        {
            var phase = await Database.HashGetAsync(connection.Replay(name.ToString()), "phase");
            if (phase == ReplayValues.Pending || phase == ReplayValues.Running)
            {
                unfinished.Add(name.ToString());
            }
        }

        return unfinished;
    }

    /// <summary>
    /// Takes the lock that lets one gateway process run a replay; true when this process now holds it.
    /// </summary>
    public Task<bool> TryLockAsync(ConnectionKeys connection, string name, string owner, TimeSpan lease) =>
        Database.StringSetAsync(connection.ReplayLock(name), owner, lease, When.NotExists);

    /// <summary>Extends a held lock; false when another process holds it now.</summary>
    public async Task<bool> ExtendLockAsync(ConnectionKeys connection, string name, string owner, TimeSpan lease) =>
        await Database.LockExtendAsync(connection.ReplayLock(name), owner, lease);

    public Task ReleaseLockAsync(ConnectionKeys connection, string name, string owner) =>
        Database.LockReleaseAsync(connection.ReplayLock(name), owner);

    public Task MarkRunningAsync(ConnectionKeys connection, string name, DateTimeOffset now) =>
        Database.ScriptEvaluateAsync(
            "if redis.call('HGET', KEYS[1], 'phase') == 'Pending' then redis.call('HSET', KEYS[1], 'phase', 'Running', 'startedAt', ARGV[1]) end return 1",
            [connection.Replay(name)],
            [now.ToUnixTimeMilliseconds()]);

    public Task MarkFailedAsync(ConnectionKeys connection, string name, string message, DateTimeOffset now) =>
        Database.HashSetAsync(connection.Replay(name), [new("phase", ReplayValues.Failed), new("message", message), new("completedAt", now.ToUnixTimeMilliseconds())]);

    /// <summary>
    /// Runs one batch; returns true when the replay has finished.
    /// </summary>
    public async Task<bool> RunBatchAsync(ConnectionRoute connection, string name, int batchSize, DateTimeOffset now)
    {
        var connectionKeys = connection.Keys;
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            Scripts.ReplayBatch,
            [connectionKeys.Index, connectionKeys.Events, connectionKeys.Scheduled, connectionKeys.Pins, connectionKeys.Replay(name)],
            [keys.WakeChannel.ToString(), "connection:" + connection.Name, connectionKeys.EventKeyPrefix, batchSize, now.ToUnixTimeMilliseconds()]))!;
        return (int)result[1] == 1;
    }

    private static ReplayRecord ToRecord(HashEntry[] fields)
    {
        var map = fields.ToDictionary(field => field.Name.ToString(), field => field.Value.ToString(), StringComparer.Ordinal);
        return new ReplayRecord
        {
            Name = map.GetValueOrDefault("name", ""),
            From = Time(map.GetValueOrDefault("from")) ?? DateTimeOffset.UnixEpoch,
            To = Time(map.GetValueOrDefault("to")) ?? DateTimeOffset.UnixEpoch,
            State = map.GetValueOrDefault("state", ""),
            Phase = map.GetValueOrDefault("phase", ""),
            Matched = long.Parse(map.GetValueOrDefault("matched", "0"), CultureInfo.InvariantCulture),
            Enqueued = long.Parse(map.GetValueOrDefault("enqueued", "0"), CultureInfo.InvariantCulture),
            CreatedAt = Time(map.GetValueOrDefault("createdAt")) ?? DateTimeOffset.UnixEpoch,
            StartedAt = Time(map.GetValueOrDefault("startedAt")),
            CompletedAt = Time(map.GetValueOrDefault("completedAt")),
            Message = map.GetValueOrDefault("message"),
        };
    }

    private static DateTimeOffset? Time(string? milliseconds) =>
        long.TryParse(milliseconds, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? DateTimeOffset.FromUnixTimeMilliseconds(value)
            : null;
}
