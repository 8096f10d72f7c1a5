using StackExchange.Redis;

namespace FastHook.Gateway.Storage;

/// <summary>
/// The Redis key layout, an on-disk format: docs/architecture.md describes it, and changing a name strands stored data.
/// Every key of one source shares the hash tag "{s:namespace/name}", every key of one connection shares
/// "{c:namespace/name}" and every key of one destination shares "{d:namespace/name}", so each Lua script
/// touches a single Redis Cluster slot.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>The consumer group that turns requests into events.</summary>
    public const string RouterGroup = "router";

    /// <summary>The consumer group that delivers a connection's events.</summary>
    public const string DeliveryGroup = "delivery";

    public string Prefix { get; } = prefix;

    /// <summary>The pub/sub channel that wakes idle workers; messages are "source:ns/name" or "connection:ns/name".</summary>
    public RedisChannel WakeChannel => RedisChannel.Literal($"{Prefix}:wake");

    public SourceKeys Source(string qualifiedName) => new($"{Prefix}:{{s:{qualifiedName}}}");

    public ConnectionKeys Connection(string qualifiedName) => new($"{Prefix}:{{c:{qualifiedName}}}");

    public DestinationKeys Destination(string qualifiedName) => new($"{Prefix}:{{d:{qualifiedName}}}");
}

/// <summary>
/// The keys of one destination, shared by every connection that delivers to it.
/// </summary>
public readonly record struct DestinationKeys(string Base)
{
    /// <summary>Hash with the rate limit's token bucket: tokens and the time they were counted (Unix ms).</summary>
    public RedisKey RateLimit => $"{Base}:ratelimit";

    /// <summary>Hash with the circuit breaker: state, failures in a row, openedAt, probeUntil.</summary>
    public RedisKey Circuit => $"{Base}:circuit";
}

/// <summary>
/// The keys of one source.
/// </summary>
public readonly record struct SourceKeys(string Base)
{
    /// <summary>Stream of captured requests; the entry id is the request id.</summary>
    public RedisKey Requests => $"{Base}:requests";

    /// <summary>
    /// Lock held by the one process that routes a source with an ordered connection, so its requests are
    /// routed in order of receipt.
    /// </summary>
    public RedisKey RouterLock => $"{Base}:router-lock";

    /// <summary>
    /// String holding the id of the request that first carried a delivery id, expiring (PX) after the source's
    /// deduplication window. <paramref name="deliveryIdDigest"/> is the lower-case hex SHA-256 of the delivery id,
    /// so the key's length does not depend on what the provider sends.
    /// </summary>
    public RedisKey Deduplication(string deliveryIdDigest) => $"{Base}:dedup:{deliveryIdDigest}";
}

/// <summary>
/// The keys of one connection.
/// </summary>
public readonly record struct ConnectionKeys(string Base)
{
    /// <summary>Stream of events waiting for delivery, read by the "delivery" consumer group.</summary>
    public RedisKey Events => $"{Base}:events";

    /// <summary>Sorted set of events waiting for a retry, scored by due time in Unix milliseconds.</summary>
    public RedisKey Scheduled => $"{Base}:scheduled";

    /// <summary>Stream of dead letters.</summary>
    public RedisKey DeadLetters => $"{Base}:deadletter";

    /// <summary>Sorted set of every stored event id, scored by the request's receive time in Unix milliseconds.</summary>
    public RedisKey Index => $"{Base}:index";

    /// <summary>
    /// Sorted set of event ids whose request must outlive the source's retention (pending, scheduled or
    /// dead-lettered), scored by the request's receive time.
    /// </summary>
    public RedisKey Pins => $"{Base}:pins";

    /// <summary>Sorted set of replay names, scored by creation time.</summary>
    public RedisKey Replays => $"{Base}:replays";

    /// <summary>The prefix of per-event hashes, for scripts that build those keys themselves.</summary>
    public string EventKeyPrefix => $"{Base}:event:";

    /// <summary>The prefix of per-event attempt lists, for scripts that build those keys themselves.</summary>
    public string AttemptsKeyPrefix => $"{Base}:attempts:";

    /// <summary>Hash with the state of one event.</summary>
    public RedisKey Event(string eventId) => $"{Base}:event:{eventId}";

    /// <summary>List of one event's attempts, as JSON, oldest first.</summary>
    public RedisKey Attempts(string eventId) => $"{Base}:attempts:{eventId}";

    /// <summary>
    /// Sorted set of the events of one ordering key, in order of receipt, on an ordered connection; the string
    /// key with the suffix ":active" holds the member whose delivery is under way. The ordering key is hashed.
    /// </summary>
    public string OrderQueue(string orderingKey) =>
        $"{Base}:order:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(orderingKey)))[..32]}";

    /// <summary>Hash with one replay's request, progress and result.</summary>
    public RedisKey Replay(string name) => $"{Base}:replay:{name}";

    /// <summary>Lock held by the gateway process that runs a replay.</summary>
    public RedisKey ReplayLock(string name) => $"{Base}:replay:{name}:lock";
}
