using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
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
public sealed class RetrySpec
{
    /// <summary>exponential (capped, with jitter) or linear; exponential when unset.</summary>
    [Description("exponential doubles the delay after each failed attempt, from initialDelay up to maxDelay, and removes up to 20% as jitter; linear waits initialDelay times the number of failed attempts, up to maxDelay.")]
    [CrdEnum("exponential", "linear")]
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
