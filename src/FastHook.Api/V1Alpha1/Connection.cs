namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A route from a source to a destination, with its retry and dead-letter rules.
/// </summary>
public sealed class Connection : FastHookResource<ConnectionSpec, ConnectionStatus>
{
    public const string KindName = "Connection";

    public override string Kind { get; set; } = KindName;
}

public sealed class ConnectionSpec
{
    public LocalObjectReference? SourceRef { get; set; }

    public LocalObjectReference? DestinationRef { get; set; }

    /// <summary>While true, events are captured and held but not delivered.</summary>
    public bool? Paused { get; set; }

    public RetrySpec? Retry { get; set; }

    public DeadLetterSpec? DeadLetter { get; set; }

    /// <summary>How long delivered events and their attempts are kept, as a duration; 72h when unset.</summary>
    public string? Retention { get; set; }

    /// <summary>Deliver no earlier than this long after the request was received, as a duration.</summary>
    public string? Delay { get; set; }

    /// <summary>When set, events with the same ordering key are delivered one at a time in order of receipt.</summary>
    public OrderingSpec? Ordering { get; set; }

    /// <summary>Replay requests; each name runs once, and its progress is reported in <c>status.replays</c>.</summary>
    public IList<ReplaySpec>? Replays { get; set; }
}

/// <summary>
/// Ordered delivery: events with the same key are delivered one at a time in order of receipt, and a failing
/// event holds back the later events of its key until it is delivered or dead-lettered. With neither
/// <see cref="Header"/> nor <see cref="JsonField"/>, the whole connection is one key.
/// </summary>
public sealed class OrderingSpec
{
    /// <summary>A request header whose value is the ordering key.</summary>
    public string? Header { get; set; }

    /// <summary>A dotted path to a JSON body field whose value is the ordering key.</summary>
    public string? JsonField { get; set; }
}

public sealed class ConnectionStatus : ResourceStatus
{
    /// <summary>Events waiting for their next attempt, as counted in Redis.</summary>
    public long? Pending { get; set; }

    /// <summary>Events waiting for a retry at a later time.</summary>
    public long? Scheduled { get; set; }

    /// <summary>Entries in the connection's dead-letter stream.</summary>
    public long? DeadLettered { get; set; }

    /// <summary>One entry per replay request in <c>spec.replays</c>.</summary>
    public IList<ReplayStatus>? Replays { get; set; }
}

/// <summary>
/// A request to deliver again the events of a time range that are in a given state.
/// </summary>
public sealed class ReplaySpec
{
    /// <summary>Unique within the connection; a name runs once, so a new replay needs a new name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Events received at or after this time; the connection's first event when unset.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Events received before this time; the time the replay is created when unset.</summary>
    public DateTimeOffset? To { get; set; }

    /// <summary>deadLettered, failed (dead-lettered or waiting for a retry) or all.</summary>
    public string? State { get; set; }
}

/// <summary>
/// The progress and result of one replay request.
/// </summary>
public sealed class ReplayStatus
{
    public string Name { get; set; } = "";

    /// <summary>Pending, Running, Succeeded or Failed.</summary>
    public string Phase { get; set; } = "";

    /// <summary>Events in the time range whose state matched.</summary>
    public long Matched { get; set; }

    /// <summary>Matched events put back into delivery.</summary>
    public long Enqueued { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    public string? Message { get; set; }
}

/// <summary>
/// When and how often a failed delivery is tried again.
/// </summary>
public sealed class RetrySpec
{
    /// <summary>exponential (capped, with jitter), linear or schedule (an explicit list); exponential when unset.</summary>
    public string? Strategy { get; set; }

    /// <summary>Attempts in all, the first included; 8 when unset.</summary>
    public int? MaxAttempts { get; set; }

    public string? InitialDelay { get; set; }

    public string? MaxDelay { get; set; }

    /// <summary>Outcomes that are retried; the rest dead-letter at once. See <see cref="RetryOutcomes"/>.</summary>
    public IList<string>? RetryOn { get; set; }

    /// <summary>The longest Retry-After delay honoured; longer ones are cut to this.</summary>
    public string? MaxRetryAfter { get; set; }

    /// <summary>
    /// With strategy schedule: the delay before each retry, in order, as durations; the last one repeats
    /// when maxAttempts allows more retries than the list has.
    /// </summary>
    public IList<string>? Schedule { get; set; }
}

/// <summary>
/// The outcome names <c>spec.retry.retryOn</c> accepts.
/// </summary>
public static class RetryOutcomes
{
    /// <summary>A 5xx response other than 501.</summary>
    public const string ServerError = "serverError";

    /// <summary>A 429 response.</summary>
    public const string TooManyRequests = "tooManyRequests";

    /// <summary>A 408 response.</summary>
    public const string RequestTimeout = "requestTimeout";

    /// <summary>No response within the destination's timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The connection failed: refused, reset, or a name that does not resolve.</summary>
    public const string Network = "network";

    /// <summary>Any other 4xx response, and 501.</summary>
    public const string ClientError = "clientError";

    public static readonly IReadOnlyList<string> All = [ServerError, TooManyRequests, RequestTimeout, Timeout, Network, ClientError];

    public static readonly IReadOnlyList<string> Default = [ServerError, TooManyRequests, RequestTimeout, Timeout, Network];
}

public sealed class DeadLetterSpec
{
    /// <summary>How long dead letters are kept, as a duration; 168h when unset.</summary>
    public string? Retention { get; set; }
}
