using System.Text.Json.Nodes;

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

    /// <summary>Which requests become events of this connection; every request when unset.</summary>
    public FilterSpec? Filter { get; set; }

    /// <summary>A script that rewrites each event before delivery; the request is delivered as captured when unset.</summary>
    public TransformSpec? Transform { get; set; }

    /// <summary>How long delivered events and their attempts are kept, as a duration; 72h when unset.</summary>
    public string? Retention { get; set; }

    /// <summary>Deliver no earlier than this long after the request was received, as a duration.</summary>
    public string? Delay { get; set; }

    /// <summary>When set, events with the same ordering key are delivered one at a time in order of receipt.</summary>
    public OrderingSpec? Ordering { get; set; }
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

/// <summary>
/// Rules a request must pass to become an event of the connection. Every part that is set must match.
/// docs/rules.md defines the rule language and the CEL variables.
/// </summary>
public sealed class FilterSpec
{
    /// <summary>Rules by header name; names compare case-insensitively and values are text.</summary>
    public JsonNode? Headers { get; set; }

    /// <summary>A rule on the body parsed as JSON; a body that is not JSON never matches it.</summary>
    public JsonNode? Body { get; set; }

    /// <summary>Rules by query parameter name; values are text, or lists of text for repeated names.</summary>
    public JsonNode? Query { get; set; }

    /// <summary>A rule on the request path, such as "/e/default/github".</summary>
    public JsonNode? Path { get; set; }

    /// <summary>A CEL expression over the variable <c>request</c> that must return true.</summary>
    public string? Cel { get; set; }
}

/// <summary>
/// A JavaScript function that receives the request and returns what is delivered, run in a sandbox with limits.
/// </summary>
public sealed class TransformSpec
{
    /// <summary>JavaScript source that defines <c>function transform(request)</c>.</summary>
    public string? Script { get; set; }

    /// <summary>The longest one run may take, as a duration; 1s when unset.</summary>
    public string? Timeout { get; set; }

    /// <summary>The bytes one run may allocate, garbage included; 64 MiB when unset.</summary>
    public long? MaxMemoryBytes { get; set; }

    /// <summary>The deepest nesting of JavaScript function calls; 100 when unset.</summary>
    public int? MaxRecursionDepth { get; set; }
}

/// <summary>
/// The defaults and allowed ranges of <c>spec.transform</c>.
/// </summary>
public static class TransformLimits
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The longest timeout allowed, because a run occupies one delivery slot and one thread until it ends.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    public const long DefaultMaxMemoryBytes = 64L * 1024 * 1024;

    public const long MinMemoryBytes = 1L * 1024 * 1024;

    public const long MaxMemoryBytes = 1L * 1024 * 1024 * 1024;

    public const int DefaultMaxRecursionDepth = 100;

    public const int MaxRecursionDepth = 1000;

    /// <summary>The longest script, in characters.</summary>
    public const int MaxScriptLength = 256 * 1024;
}
