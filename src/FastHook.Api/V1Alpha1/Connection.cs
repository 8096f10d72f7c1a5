using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A route from a source to a destination, with its retry and dead-letter rules.
/// </summary>
[CrdNames("connections", "connection", ShortNames = ["conn"], Categories = ["fasthook"])]
[Description("Routes the requests of a WebhookSource to a Destination, with retry, dead-letter and replay rules.")]
[PrinterColumn("Ready", "string", PrinterColumnAttribute.ReadyStatusPath, Description = "The status of the Ready condition")]
[PrinterColumn("Source", "string", ".spec.sourceRef.name")]
[PrinterColumn("Destination", "string", ".spec.destinationRef.name")]
[PrinterColumn("Pending", "integer", ".status.pending", Description = "Events waiting for their first attempt")]
[PrinterColumn("Dead Letters", "integer", ".status.deadLettered", Description = "Events in the dead-letter stream")]
[PrinterColumn("Delivered", "integer", ".status.delivered", Priority = 1, Description = "Stored events that were delivered")]
[PrinterColumn("Failed", "integer", ".status.failed", Priority = 1, Description = "Events waiting for a retry")]
[PrinterColumn("Paused", "boolean", ".spec.paused", Priority = 1)]
[PrinterColumn("Reason", "string", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "Why the connection is or is not ready")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Connection : FastHookResource<ConnectionSpec, ConnectionStatus>
{
    public const string KindName = "Connection";

    public override string Kind { get; set; } = KindName;
}

[Description("The desired state of a Connection.")]
public sealed class ConnectionSpec
{
    /// <summary>
    /// The maximum number of replay requests a connection keeps. Kubernetes estimates the cost of the CEL rules on
    /// each replay request from the largest list the schema allows, and this bound keeps that estimate low.
    /// </summary>
    public const int MaxReplays = 100;

    [Description("The WebhookSource in the same namespace whose requests this connection routes.")]
    [Required]
    public LocalObjectReference? SourceRef { get; set; }

    [Description("The Destination in the same namespace that events are delivered to.")]
    [Required]
    public LocalObjectReference? DestinationRef { get; set; }

    /// <summary>While true, events are captured and held but not delivered.</summary>
    [Description("While true, requests are still captured and their events held, but nothing is delivered.")]
    [CrdDefault(false)]
    public bool? Paused { get; set; }

    public RetrySpec? Retry { get; set; }

    public DeadLetterSpec? DeadLetter { get; set; }

    /// <summary>Which requests become events of this connection; every request when unset.</summary>
    public FilterSpec? Filter { get; set; }

    /// <summary>A script that rewrites each event before delivery; the request is delivered as captured when unset.</summary>
    public TransformSpec? Transform { get; set; }

    /// <summary>Requests to deliver stored events again, each identified by a unique name and run once.</summary>
    [Description("Requests to deliver stored events again, at most 100. Each runs once, identified by its name; its progress is in status.replays.")]
    [CrdListMap("name")]
    [MaxLength(MaxReplays)]
    public IList<ReplayRequest>? Replays { get; set; }

    /// <summary>How long delivered events and their attempts are kept, as a duration; 72h when unset.</summary>
    [Description("How long delivered events and their attempts are kept, as a duration.")]
    [CrdDuration]
    [CrdDefault("72h")]
    public string? Retention { get; set; }

    /// <summary>Deliver no earlier than this long after the request was received, as a duration.</summary>
    [Description("Deliver no earlier than this long after the request was received, as a duration.")]
    [CrdDuration]
    public string? Delay { get; set; }

    /// <summary>When set, events with the same ordering key are delivered one at a time in order of receipt.</summary>
    [Description("When set, events with the same ordering key are delivered one at a time in order of receipt; a failing event holds back its key.")]
    public OrderingSpec? Ordering { get; set; }
}

/// <summary>
/// Ordered delivery: events with the same key are delivered one at a time in order of receipt, and a failing
/// event holds back the later events of its key until it is delivered or dead-lettered. With neither
/// <see cref="Header"/> nor <see cref="JsonField"/>, the whole connection is one key.
/// </summary>
[CrdValidation("!(has(self.header) && has(self.jsonField))", "choose one ordering key: header or jsonField, or neither to order the whole connection")]
public sealed class OrderingSpec
{
    /// <summary>A request header whose value is the ordering key.</summary>
    [Description("A request header whose value is the ordering key.")]
    [RegularExpression(SchemaPatterns.HeaderName)]
    public string? Header { get; set; }

    /// <summary>A dotted path to a JSON body field whose value is the ordering key.</summary>
    [Description("A dotted path to a JSON body field whose value is the ordering key, such as customer.id.")]
    [RegularExpression(@"^[^.]+(\.[^.]+)*$")]
    public string? JsonField { get; set; }
}

/// <summary>
/// The observed state of a connection: event counts by state and the progress of each replay request.
/// The counts are a snapshot taken when the status was written.
/// </summary>
[Description("The observed state of a Connection. The event counts are a snapshot taken when the status was written.")]
public sealed class ConnectionStatus : ResourceStatus
{
    /// <summary>Stored events that were delivered; retention removes them after <c>spec.retention</c>.</summary>
    [Description("Stored events that were delivered; they are removed after spec.retention.")]
    public long? Delivered { get; set; }

    /// <summary>Events whose last attempt failed and that wait for a retry. Dead letters are not included.</summary>
    [Description("Events whose last attempt failed and that wait for a retry; dead letters are counted in deadLettered only.")]
    public long? Failed { get; set; }

    /// <summary>Events in the dead-letter stream.</summary>
    [Description("Events in the dead-letter stream, kept for spec.deadLetter.retention.")]
    public long? DeadLettered { get; set; }

    /// <summary>Events waiting for their first attempt, or for their next one after a replay.</summary>
    [Description("Events waiting for an attempt that is not a retry: new events, and events a replay put back.")]
    public long? Pending { get; set; }

    /// <summary>One entry per replay request in <c>spec.replays</c>, with the same name.</summary>
    [Description("The progress and result of each replay request, by name.")]
    [CrdListMap("name")]
    [MaxLength(ConnectionSpec.MaxReplays)]
    public IList<ReplayStatus>? Replays { get; set; }
}

/// <summary>
/// When and how often a failed delivery is tried again.
/// </summary>
[Description("When and how often a failed delivery is tried again.")]
[CrdValidation(
    "!has(self.initialDelay) || !has(self.maxDelay) || duration(self.initialDelay) <= duration(self.maxDelay)",
    "initialDelay must not be longer than maxDelay",
    FieldPath = ".initialDelay")]
[CrdValidation("has(self.strategy) && self.strategy == 'schedule' ? has(self.schedule) : !has(self.schedule)", "schedule is required with strategy schedule and allowed only with it", FieldPath = ".schedule")]
public sealed class RetrySpec
{
    /// <summary>exponential (capped, with jitter), linear or schedule (an explicit list); exponential when unset.</summary>
    [Description("exponential doubles the delay after each failed attempt, from initialDelay up to maxDelay, and removes up to 20% as jitter; linear waits initialDelay times the number of failed attempts, up to maxDelay; schedule takes the delays from schedule in order, repeating the last.")]
    [CrdEnum("exponential", "linear", "schedule")]
    [CrdDefault("exponential")]
    public string? Strategy { get; set; }

    /// <summary>Attempts in all, the first included; 8 when unset.</summary>
    [Description("Attempts in all, the first included; an event still failing after the last one is dead-lettered.")]
    [Range(1, 100)]
    [CrdDefault(8)]
    public int? MaxAttempts { get; set; }

    // NOTE: initialDelay and maxDelay have no schema default, because a defaulted initialDelay of 5s would fail the
    // initialDelay <= maxDelay rule of a resource that sets only a maxDelay below 5s, which the gateway accepts.
    [Description("The delay before the first retry, as a duration. Defaults to 5s.")]
    [CrdDuration]
    public string? InitialDelay { get; set; }

    [Description("The longest delay between two attempts, as a duration. Defaults to 1h.")]
    [CrdDuration]
    public string? MaxDelay { get; set; }

    /// <summary>Outcomes that are retried; the rest dead-letter at once. See <see cref="RetryOutcomes"/>.</summary>
    [Description("The outcomes that are retried; any other outcome dead-letters the event at once.")]
    [CrdEnum(typeof(RetryOutcomes), nameof(RetryOutcomes.All))]
    [CrdDefault(typeof(RetryOutcomes), nameof(RetryOutcomes.Default))]
    public IList<string>? RetryOn { get; set; }

    /// <summary>The longest Retry-After delay honoured; longer ones are cut to this.</summary>
    [Description("The longest Retry-After delay of a response that is honoured, as a duration; longer ones are cut to this.")]
    [CrdDuration]
    [CrdDefault("1h")]
    public string? MaxRetryAfter { get; set; }

    /// <summary>
    /// With strategy schedule: the delay before each retry, in order, as durations; the last one repeats
    /// when maxAttempts allows more retries than the list has.
    /// </summary>
    [Description("With strategy schedule: the delay before each retry, in order, as durations; the last one repeats.")]
    [CrdDuration]
    [MinLength(1)]
    [MaxLength(100)]
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

[Description("What happens to events that cannot be delivered.")]
public sealed class DeadLetterSpec
{
    /// <summary>How long dead letters are kept, as a duration; 168h when unset.</summary>
    [Description("How long dead letters are kept, as a duration.")]
    [CrdDuration]
    [CrdDefault("168h")]
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
