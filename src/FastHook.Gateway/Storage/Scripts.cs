namespace FastHook.Gateway.Storage;

/// <summary>
/// The Lua scripts that change more than one key at once. Each runs atomically and touches the keys of a
/// single source or connection, so each stays within one Redis Cluster slot. StackExchange.Redis sends them
/// with EVALSHA after the first call.
/// </summary>
internal static class Scripts
{
    /// <summary>
    /// Captures a request unless its delivery id was seen within the deduplication window. A source without
    /// deduplication captures with a plain XADD instead.
    /// KEYS: requests, the deduplication key. ARGV: method, path, query, headers, body, verification, the window in
    /// milliseconds. Returns {request id, 0} for a new request, or {the first request's id, 1} for a duplicate.
    /// The deduplication key is read before XADD and set (PX) after it. The script runs atomically, so this is a
    /// SET NX joined to the capture. The order means a failure part-way leaves a request captured twice, never one
    /// acknowledged as a duplicate without having been captured.
    /// </summary>
    public const string Capture = """
        local first = redis.call('GET', KEYS[2])
        if first then
          return {first, 1}
        end
        local id = redis.call('XADD', KEYS[1], '*', 'm', ARGV[1], 'p', ARGV[2], 'q', ARGV[3], 'h', ARGV[4], 'b', ARGV[5], 'v', ARGV[6])
        redis.call('SET', KEYS[2], id, 'PX', ARGV[7])
        return {id, 0}
        """;

    /// <summary>
    /// Puts an event where its next attempt is picked up: on the events stream, or in the scheduled set when
    /// its first attempt is due later (a connection's delay). Shared by routing and ordered release.
    /// </summary>
    private const string ReleaseFunction = """
        local function release(eventsKey, scheduledKey, eventKey, id, requestId, source, receivedAt, due, now)
          if tonumber(due) > tonumber(now) then
            local member = id .. '|' .. requestId .. '|1|' .. receivedAt .. '|' .. source
            redis.call('ZADD', scheduledKey, due, member)
            redis.call('HSET', eventKey, 'state', 'scheduled', 'nextAttemptAt', due, 'scheduledMember', member)
          else
            redis.call('XADD', eventsKey, '*', 'e', id, 'r', requestId, 's', source, 'n', 1, 't', receivedAt)
          end
        end

        """;

    /// <summary>
    /// A Lua function for ordered connections, run when an event leaves delivery (delivered or dead-lettered):
    /// removes it from its ordering key's queue and, when it was that key's active event, releases the next
    /// event of the key in order of receipt. Events of unordered connections have no orderKey and are skipped.
    /// </summary>
    private const string ReleaseNextInOrderFunction = """
        local function releaseNext(orderKey, orderMember, eventsKey, eventKeyPrefix)
          redis.call('ZREM', orderKey, orderMember)
          local activeKey = orderKey .. ':active'
          if redis.call('GET', activeKey) ~= orderMember then
            return
          end
          redis.call('DEL', activeKey)
          local nextMember = redis.call('ZRANGE', orderKey, 0, 0)[1]
          if not nextMember then
            return
          end
          redis.call('SET', activeKey, nextMember)
          local nextId = string.match(nextMember, '|(.*)$')
          local fields = redis.call('HMGET', eventKeyPrefix .. nextId, 'requestId', 'source', 'receivedAt')
          if fields[1] then
            redis.call('XADD', eventsKey, '*', 'e', nextId, 'r', fields[1], 's', fields[2], 'n', 1, 't', fields[3])
          end
        end

        local function releaseNextInOrder(eventKey, eventsKey, eventKeyPrefix)
          local order = redis.call('HMGET', eventKey, 'orderKey', 'orderMember')
          if order[1] then
            releaseNext(order[1], order[2], eventsKey, eventKeyPrefix)
          end
        end

        """;

    /// <summary>
    /// Creates the events of a batch of requests for one connection, each unless it exists, which makes routing
    /// idempotent: a router that crashed before acknowledging its requests routes them again without creating
    /// second events. KEYS: events, index, pins, scheduled.
    /// ARGV: source, now ms, event key prefix, then six per event: event id, request id, received-at ms, first
    /// attempt due ms (0 for now), ordering queue key or "", ordering member or "".
    /// For an ordered connection the event joins its key's queue and is released only when no other event of
    /// the key is active. Returns the number of events created.
    /// </summary>
    public const string Route = ReleaseFunction + "\n" + """
        local created = 0
        for i = 4, #ARGV, 6 do
          local id, requestId, receivedAt, due, queue, member = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
          local eventKey = ARGV[3] .. id
          if redis.call('HSETNX', eventKey, 'requestId', requestId) == 1 then
            created = created + 1
            redis.call('HSET', eventKey, 'source', ARGV[1], 'receivedAt', receivedAt, 'state', 'pending', 'attempts', 0)
            redis.call('ZADD', KEYS[2], receivedAt, id)
            redis.call('ZADD', KEYS[3], receivedAt, id)
            if queue == '' then
              release(KEYS[1], KEYS[4], eventKey, id, requestId, ARGV[1], receivedAt, due, ARGV[2])
            else
              redis.call('HSET', eventKey, 'orderKey', queue, 'orderMember', member)
              redis.call('ZADD', queue, 0, member)
              local activeKey = queue .. ':active'
              if not redis.call('GET', activeKey) then
                redis.call('SET', activeKey, member)
                release(KEYS[1], KEYS[4], eventKey, id, requestId, ARGV[1], receivedAt, due, ARGV[2])
              end
            end
          end
        end
        return created
        """;

    /// <summary>
    /// Records the successful attempts of a batch of one connection's events. It runs whether or not this consumer
    /// still owns the entries: a 2xx is final. An event's first attempt is kept in its hash as the compact field
    /// "firstAttempt" (see <see cref="FirstAttemptCodec"/>), so an event delivered at once has no attempt list;
    /// later attempts are appended to the list as JSON, which keeps the last ARGV[2].
    /// KEYS: events, pins. ARGV: group, max attempt records, event key prefix, attempts key prefix, then six per
    /// event: entry id, event id, attempt JSON, now ms, status, first-attempt record.
    /// One HMGET reads an event's attempt count and ordering fields, and an event at its first attempt has no
    /// failure fields to remove, which keeps a first-attempt success at four commands. A delivered event has no
    /// lastAttemptAt field: its last attempt is the one at deliveredAt. An event already delivered at the same
    /// start time is skipped, so a write repeated after its reply was lost records nothing twice.
    /// </summary>
    public const string Complete = ReleaseNextInOrderFunction + "\n" + """
        local entryIds = {}
        for i = 5, #ARGV, 6 do
          entryIds[#entryIds + 1] = ARGV[i]
        end
        redis.call('XACK', KEYS[1], ARGV[1], unpack(entryIds))
        redis.call('XDEL', KEYS[1], unpack(entryIds))
        for i = 5, #ARGV, 6 do
          local id = ARGV[i + 1]
          local eventKey = ARGV[3] .. id
          local fields = redis.call('HMGET', eventKey, 'attempts', 'orderKey', 'orderMember', 'state', 'deliveredAt')
          local attempts = fields[1]
          if fields[4] == 'delivered' and fields[5] == ARGV[i + 3] then
            -- This success is recorded already: the write is a repeat after its reply was lost.
            attempts = nil
          elseif fields[2] then
            releaseNext(fields[2], fields[3], KEYS[1], ARGV[3])
          end
          if attempts == '0' then
            redis.call('HSET', eventKey, 'state', 'delivered', 'deliveredAt', ARGV[i + 3], 'lastStatus', ARGV[i + 4], 'attempts', 1, 'firstAttempt', ARGV[i + 5])
          elseif attempts then
            redis.call('HSET', eventKey, 'state', 'delivered', 'deliveredAt', ARGV[i + 3], 'lastStatus', ARGV[i + 4], 'attempts', tonumber(attempts) + 1)
            redis.call('HDEL', eventKey, 'lastAttemptAt', 'lastError', 'nextAttemptAt', 'scheduledMember')
            local attemptsKey = ARGV[4] .. id
            redis.call('RPUSH', attemptsKey, ARGV[i + 2])
            redis.call('LTRIM', attemptsKey, -tonumber(ARGV[2]), -1)
          end
          redis.call('ZREM', KEYS[2], id)
        end
        return #entryIds
        """;

    /// <summary>
    /// Returns 1 when ARGV[3] (the consumer) still owns entry ARGV[1] of KEYS[1] in group ARGV[2].
    /// Shared by the failure scripts: a consumer whose entry was reclaimed leaves its outcome to the new owner.
    /// </summary>
    private const string OwnerCheck = """
        local owned = redis.call('XPENDING', KEYS[1], ARGV[2], ARGV[1], ARGV[1], 1, ARGV[3])
        if #owned == 0 then
          return 0
        end
        """;

    /// <summary>
    /// Records a failed attempt and schedules the next one.
    /// KEYS: events, scheduled, event hash, attempts.
    /// ARGV: entry id, group, consumer, attempt JSON, now ms, due ms, scheduled member, status, error, max attempt records.
    /// Returns 1, or 0 when another consumer owns the entry now.
    /// </summary>
    public const string ScheduleRetry = OwnerCheck + "\n" + """
        redis.call('XACK', KEYS[1], ARGV[2], ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[6], ARGV[7])
        if redis.call('EXISTS', KEYS[3]) == 1 then
          redis.call('HSET', KEYS[3], 'state', 'scheduled', 'lastAttemptAt', ARGV[5], 'lastStatus', ARGV[8], 'lastError', ARGV[9], 'nextAttemptAt', ARGV[6], 'scheduledMember', ARGV[7])
          redis.call('HINCRBY', KEYS[3], 'attempts', 1)
          redis.call('RPUSH', KEYS[4], ARGV[4])
          redis.call('LTRIM', KEYS[4], -tonumber(ARGV[10]), -1)
        end
        return 1
        """;

    /// <summary>
    /// Moves an event to the dead-letter stream. The event stays pinned, so its request outlives the source's
    /// retention for as long as the dead letter is kept.
    /// KEYS: events, dead letters, event hash, attempts.
    /// ARGV: entry id, group, consumer, attempt JSON or "", now ms, event id, request id, source, attempts, reason,
    /// status, error, max attempt records, event key prefix.
    /// Returns 1, or 0 when another consumer owns the entry now.
    /// </summary>
    public const string DeadLetter = ReleaseNextInOrderFunction + OwnerCheck + "\n" + """
        redis.call('XACK', KEYS[1], ARGV[2], ARGV[1])
        redis.call('XDEL', KEYS[1], ARGV[1])
        releaseNextInOrder(KEYS[3], KEYS[1], ARGV[14])
        redis.call('XADD', KEYS[2], '*', 'e', ARGV[6], 'r', ARGV[7], 's', ARGV[8], 'n', ARGV[9], 'reason', ARGV[10], 'status', ARGV[11], 'error', ARGV[12], 'at', ARGV[5])
        if redis.call('EXISTS', KEYS[3]) == 1 then
          redis.call('HSET', KEYS[3], 'state', 'deadLettered', 'deadLetteredAt', ARGV[5], 'lastStatus', ARGV[11], 'lastError', ARGV[12], 'deadLetterReason', ARGV[10])
          redis.call('HDEL', KEYS[3], 'nextAttemptAt', 'scheduledMember')
          if ARGV[4] ~= '' then
            redis.call('HSET', KEYS[3], 'lastAttemptAt', ARGV[5])
            redis.call('HINCRBY', KEYS[3], 'attempts', 1)
            redis.call('RPUSH', KEYS[4], ARGV[4])
            redis.call('LTRIM', KEYS[4], -tonumber(ARGV[13]), -1)
          end
        end
        return 1
        """;

    /// <summary>
    /// Acknowledges entries Redis reported as deleted while pending and records each as a dead letter with reason "lost".
    /// KEYS: events, dead letters. ARGV: group, now ms, entry ids...
    /// </summary>
    public const string RecordLost = """
        for i = 3, #ARGV do
          redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
          redis.call('XADD', KEYS[2], '*', 'e', '', 'r', '', 's', '', 'n', 0, 'reason', 'lost', 'status', '', 'error', 'entry ' .. ARGV[i] .. ' was deleted or trimmed while pending', 'at', ARGV[2])
        end
        return #ARGV - 2
        """;

    /// <summary>
    /// Moves retries that are due back into the events stream.
    /// KEYS: scheduled, events. ARGV: now ms, limit, wake channel, wake message, event key prefix.
    /// Members are "eventId|requestId|attempt|receivedAtMs|source". Returns {moved, next due ms or -1}.
    /// </summary>
    public const string MoveDue = """
        local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for _, member in ipairs(due) do
          local e, r, n, t, s = string.match(member, '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
          redis.call('XADD', KEYS[2], '*', 'e', e, 'r', r, 's', s, 'n', n, 't', t)
          redis.call('ZREM', KEYS[1], member)
          local eventKey = ARGV[5] .. e
          if redis.call('HGET', eventKey, 'scheduledMember') == member then
            redis.call('HSET', eventKey, 'state', 'pending')
            redis.call('HDEL', eventKey, 'nextAttemptAt', 'scheduledMember')
          end
        end
        if #due > 0 then
          redis.call('PUBLISH', ARGV[3], ARGV[4])
        end
        local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        if #nextDue == 0 then
          return {#due, -1}
        end
        return {#due, tonumber(nextDue[2])}
        """;

    /// <summary>
    /// A Lua function shared by the single retry and the replay batch: puts one stored event back into delivery
    /// as attempt 1 of a new round, keeping its id, when its state passes the filter (all, failed, deadLettered).
    /// An event already waiting for delivery counts as matched but is not enqueued twice.
    /// Returns two numbers: matched (0 or 1) and enqueued (0 or 1).
    /// </summary>
    private const string ReenqueueFunction = """
        local function reenqueue(eventsKey, scheduledKey, pinsKey, eventKeyPrefix, id, filter)
          local eventKey = eventKeyPrefix .. id
          local fields = redis.call('HMGET', eventKey, 'requestId', 'source', 'receivedAt', 'state', 'scheduledMember')
          if not fields[1] then
            return 0, 0
          end
          local state = fields[4]
          local wanted = filter == 'all'
            or (filter == 'deadLettered' and state == 'deadLettered')
            or (filter == 'failed' and (state == 'deadLettered' or state == 'scheduled'))
          if not wanted then
            return 0, 0
          end
          if state == 'pending' then
            return 1, 0
          end
          if state == 'scheduled' and fields[5] then
            redis.call('ZREM', scheduledKey, fields[5])
          end
          redis.call('HSET', eventKey, 'state', 'pending')
          redis.call('HDEL', eventKey, 'nextAttemptAt', 'scheduledMember')
          redis.call('HINCRBY', eventKey, 'replays', 1)
          redis.call('ZADD', pinsKey, fields[3], id)
          redis.call('XADD', eventsKey, '*', 'e', id, 'r', fields[1], 's', fields[2], 'n', 1, 't', fields[3])
          return 1, 1
        end

        """;

    /// <summary>
    /// Puts chosen events back into delivery, keeping their ids.
    /// KEYS: events, scheduled, pins. ARGV: wake channel, wake message, event key prefix, state filter, event ids...
    /// Returns {matched, enqueued}.
    /// </summary>
    public const string Reenqueue = ReenqueueFunction + "\n" + """
        local matched = 0
        local enqueued = 0
        for i = 5, #ARGV do
          local m, e = reenqueue(KEYS[1], KEYS[2], KEYS[3], ARGV[3], ARGV[i], ARGV[4])
          matched = matched + m
          enqueued = enqueued + e
        end
        if enqueued > 0 then
          redis.call('PUBLISH', ARGV[1], ARGV[2])
        end
        return {matched, enqueued}
        """;

    /// <summary>
    /// Runs one batch of a replay: takes the next events of its time range from the index, re-enqueues those in
    /// the requested state, and advances the replay's cursor and counters in the same step, so a replay resumed
    /// after a crash neither skips nor repeats an event. The cursor is a score and the number of members
    /// already taken at that score.
    /// KEYS: index, events, scheduled, pins, replay hash.
    /// ARGV: wake channel, wake message, event key prefix, batch size, now ms.
    /// Returns {processed, done (1 or 0)}.
    /// </summary>
    public const string ReplayBatch = ReenqueueFunction + "\n" + """
        local replay = redis.call('HMGET', KEYS[5], 'from', 'to', 'state', 'cursorScore', 'cursorSkip', 'phase')
        if replay[6] == 'Succeeded' or replay[6] == 'Failed' then
          return {0, 1}
        end
        local score = replay[4] or replay[1]
        local skip = tonumber(replay[5] or '0')
        local batch = tonumber(ARGV[4])
        local items = redis.call('ZRANGEBYSCORE', KEYS[1], score, replay[2], 'WITHSCORES', 'LIMIT', skip, batch)
        local matched = 0
        local enqueued = 0
        local lastScore = score
        local lastSkip = skip
        for i = 1, #items, 2 do
          local itemScore = items[i + 1]
          if itemScore == lastScore then
            lastSkip = lastSkip + 1
          else
            lastScore = itemScore
            lastSkip = 1
          end
          local m, e = reenqueue(KEYS[2], KEYS[3], KEYS[4], ARGV[3], items[i], replay[3])
          matched = matched + m
          enqueued = enqueued + e
        end
        redis.call('HINCRBY', KEYS[5], 'matched', matched)
        redis.call('HINCRBY', KEYS[5], 'enqueued', enqueued)
        redis.call('HSET', KEYS[5], 'cursorScore', lastScore, 'cursorSkip', lastSkip)
        if enqueued > 0 then
          redis.call('PUBLISH', ARGV[1], ARGV[2])
        end
        if #items < batch * 2 then
          redis.call('HSET', KEYS[5], 'phase', 'Succeeded', 'completedAt', ARGV[5])
          return {#items / 2, 1}
        end
        return {#items / 2, 0}
        """;

    /// <summary>
    /// Creates a replay request unless one with the same name exists, which is what makes each name run once.
    /// KEYS: replay hash, replays set. ARGV: name, from ms, to ms, state filter, now ms.
    /// Returns 1 when created, 0 when the name was taken.
    /// </summary>
    public const string CreateReplay = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return 0
        end
        redis.call('HSET', KEYS[1], 'name', ARGV[1], 'from', ARGV[2], 'to', ARGV[3], 'state', ARGV[4], 'phase', 'Pending', 'matched', 0, 'enqueued', 0, 'createdAt', ARGV[5])
        redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Deletes events older than the retention that are no longer needed: delivered ones, and dead-lettered ones
    /// past the dead-letter retention. Pending and scheduled events are never deleted.
    /// KEYS: index, pins. ARGV: event cutoff ms, dead-letter cutoff ms, limit, event key prefix, attempts key prefix, offset.
    /// Returns {deleted, kept}.
    /// </summary>
    public const string Expire = """
        local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', tonumber(ARGV[6]), tonumber(ARGV[3]))
        local deleted = 0
        local kept = 0
        for i = 1, #items, 2 do
          local id = items[i]
          local eventKey = ARGV[4] .. id
          local fields = redis.call('HMGET', eventKey, 'state', 'deadLetteredAt')
          local state = fields[1]
          local remove = false
          if not state or state == 'delivered' then
            remove = true
          elseif state == 'deadLettered' and tonumber(fields[2] or '0') < tonumber(ARGV[2]) then
            remove = true
          end
          if remove then
            redis.call('DEL', eventKey, ARGV[5] .. id)
            redis.call('ZREM', KEYS[1], id)
            redis.call('ZREM', KEYS[2], id)
            deleted = deleted + 1
          else
            kept = kept + 1
          end
        end
        return {deleted, kept}
        """;
}
