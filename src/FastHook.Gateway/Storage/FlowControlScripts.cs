namespace FastHook.Gateway.Storage;

/// <summary>
/// The Lua scripts of a destination's rate limit and circuit breaker. Both read the time from Redis, so every
/// gateway process measures against the same clock.
/// </summary>
internal static class FlowControlScripts
{
    /// <summary>Sets <c>now</c> to the Redis server's time in Unix milliseconds.</summary>
    private const string Now = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        """;

    /// <summary>
    /// Takes up to ARGV[3] tokens from a token bucket of capacity ARGV[1] refilled at ARGV[2] tokens per millisecond.
    /// KEYS: bucket. Returns {granted, milliseconds until the next token when none was granted}.
    /// </summary>
    public const string TakeTokens = Now + "\n" + """
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
        local tokens = tonumber(bucket[1])
        local counted = tonumber(bucket[2])
        if not tokens then
          tokens = capacity
          counted = now
        end
        tokens = math.min(capacity, tokens + math.max(0, now - counted) * rate)
        local granted = math.min(tonumber(ARGV[3]), math.floor(tokens))
        tokens = tokens - granted
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', now)
        redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 60000)
        if granted > 0 then
          return {granted, 0}
        end
        return {0, math.ceil((1 - tokens) / rate)}
        """;

    /// <summary>
    /// Gives back ARGV[2] tokens that were taken but not used, up to the capacity ARGV[1]. KEYS: bucket.
    /// </summary>
    public const string ReturnTokens = """
        local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens'))
        if tokens then
          redis.call('HSET', KEYS[1], 'tokens', tostring(math.min(tonumber(ARGV[1]), tokens + tonumber(ARGV[2]))))
        end
        return 1
        """;

    /// <summary>
    /// Decides whether deliveries may go. KEYS: circuit. ARGV: cool-down ms, probe lease ms.
    /// Returns {0, 0} when closed; {1, wait ms} while open or while another process probes; {2, 0} when this
    /// caller may send the one probe.
    /// </summary>
    public const string CheckCircuit = Now + "\n" + """
        local fields = redis.call('HMGET', KEYS[1], 'state', 'openedAt', 'probeUntil')
        if not fields[1] or fields[1] == 'closed' then
          return {0, 0}
        end
        local reopen = tonumber(fields[2]) + tonumber(ARGV[1])
        if now < reopen then
          return {1, reopen - now}
        end
        local probeUntil = tonumber(fields[3] or '0')
        if probeUntil > now then
          return {1, probeUntil - now}
        end
        redis.call('HSET', KEYS[1], 'state', 'halfOpen', 'probeUntil', now + tonumber(ARGV[2]))
        return {2, 0}
        """;

    /// <summary>
    /// Records an attempt's result. KEYS: circuit. ARGV: 1 for success or 0 for failure, failure threshold.
    /// Returns 1 when this call opened the circuit, -1 when it closed it, 0 otherwise.
    /// </summary>
    public const string RecordCircuit = Now + "\n" + """
        local state = redis.call('HGET', KEYS[1], 'state') or 'closed'
        if ARGV[1] == '1' then
          redis.call('HSET', KEYS[1], 'state', 'closed', 'failures', 0)
          redis.call('HDEL', KEYS[1], 'probeUntil', 'openedAt')
          if state ~= 'closed' then
            return -1
          end
          return 0
        end
        local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
        if state == 'halfOpen' or (state == 'closed' and failures >= tonumber(ARGV[2])) then
          redis.call('HSET', KEYS[1], 'state', 'open', 'openedAt', now)
          redis.call('HDEL', KEYS[1], 'probeUntil')
          return 1
        end
        return 0
        """;
}
