using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// An outbound HTTP target that events are delivered to.
/// </summary>
[CrdNames("destinations", "destination", ShortNames = ["dest"], Categories = ["fasthook"])]
[Description("An outbound HTTP target that events are delivered to, with its auth, signing, timeout and concurrency.")]
[PrinterColumn("Ready", "string", PrinterColumnAttribute.ReadyStatusPath, Description = "The status of the Ready condition")]
[PrinterColumn("URL", "string", ".spec.url", Description = "Where events are delivered")]
[PrinterColumn("Method", "string", ".spec.method", Priority = 1)]
[PrinterColumn("Concurrency", "integer", ".spec.maxConcurrency", Priority = 1, Description = "The maximum number of requests in flight per gateway process")]
[PrinterColumn("Reason", "string", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "Why the destination is or is not ready")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class Destination : FastHookResource<DestinationSpec, DestinationStatus>
{
    public const string KindName = "Destination";

    public override string Kind { get; set; } = KindName;
}

[Description("The desired state of a Destination.")]
public sealed class DestinationSpec
{
    /// <summary>An absolute http or https URL.</summary>
    [Description("The absolute http or https URL events are delivered to.")]
    [Required]
    [RegularExpression(SchemaPatterns.HttpUrl)]
    public string? Url { get; set; }

    /// <summary>POST, PUT or PATCH; POST when unset.</summary>
    [Description("The HTTP method of every delivery.")]
    [CrdEnum("POST", "PUT", "PATCH")]
    [CrdDefault("POST")]
    public string? Method { get; set; }

    /// <summary>Extra headers sent with every delivery.</summary>
    [Description("Extra headers sent with every delivery, by name. The headers the gateway sets itself cannot be overridden.")]
    [CrdValidation("self.all(name, name.matches(\"" + SchemaPatterns.HeaderName + "\"))", "header names must be HTTP tokens: letters, digits and !#$%&'*+.^_`|~-")]
    [CrdValidation(
        "self.all(name, !name.matches(\"(?i)^(webhook-id|webhook-timestamp|webhook-signature|webhook-attempt|content-type|content-length|host)$\"))",
        "webhook-id, webhook-timestamp, webhook-signature, webhook-attempt, content-type, content-length and host are set by the gateway and cannot be overridden")]
    public IDictionary<string, string>? Headers { get; set; }

    /// <summary>How long one attempt may take, as a duration; 30s when unset.</summary>
    [Description("How long one attempt may take, as a duration; a slower attempt counts as outcome timeout.")]
    [CrdDuration]
    [CrdDefault("30s")]
    public string? Timeout { get; set; }

    public DestinationAuthSpec? Auth { get; set; }

    public SigningSpec? Signing { get; set; }

    /// <summary>The most requests in flight to this destination per gateway process; 10 when unset.</summary>
    [Description("The most requests in flight to this destination per gateway process.")]
    [Range(1, 1000)]
    [CrdDefault(10)]
    public int? MaxConcurrency { get; set; }

    /// <summary>The most requests per period to this destination, shared by all gateway processes.</summary>
    [Description("The most requests per period to this destination, shared by all gateway processes; events beyond it wait.")]
    public RateLimitSpec? RateLimit { get; set; }

    /// <summary>Stops deliveries to a failing destination instead of spending retries on it.</summary>
    [Description("Holds deliveries to a failing destination instead of spending retries on it, probing once after a cool-down.")]
    public CircuitBreakerSpec? CircuitBreaker { get; set; }
}

/// <summary>
/// A rate limit shared through Redis by every gateway process: events beyond it wait, none is dropped.
/// </summary>
public sealed class RateLimitSpec
{
    /// <summary>Requests allowed per period.</summary>
    [Description("Requests allowed per period.")]
    [Required]
    [Range(1, 1_000_000)]
    public int? Requests { get; set; }

    /// <summary>The period, as a duration; 1s when unset.</summary>
    [Description("The period, as a duration.")]
    [CrdDuration]
    [CrdDefault("1s")]
    public string? Per { get; set; }

    /// <summary>Requests that may go at once after a quiet spell; 1 when unset, which spaces requests evenly.</summary>
    [Description("Requests that may go at once after a quiet spell; 1 spaces requests evenly.")]
    [Range(1, 1_000_000)]
    [CrdDefault(1)]
    public int? Burst { get; set; }
}

/// <summary>
/// After <see cref="FailureThreshold"/> failed attempts in a row the destination is marked unhealthy and
/// deliveries are held; after <see cref="CoolDown"/> one probe is sent, and a success resumes delivery.
/// </summary>
public sealed class CircuitBreakerSpec
{
    /// <summary>Failed attempts in a row that open the circuit; 5 when unset.</summary>
    [Description("Failed attempts in a row (server errors, 429, 408, timeouts, network errors) that open the circuit.")]
    [Range(1, 1000)]
    [CrdDefault(5)]
    public int? FailureThreshold { get; set; }

    /// <summary>How long deliveries are held before a probe, as a duration; 30s when unset.</summary>
    [Description("How long deliveries are held before one probe is sent, as a duration.")]
    [CrdDuration]
    [CrdDefault("30s")]
    public string? CoolDown { get; set; }
}

[Description("The observed state of a Destination.")]
public sealed class DestinationStatus : ResourceStatus
{
}

/// <summary>
/// Credentials the gateway sends to the destination.
/// </summary>
[Description("Credentials the gateway sends with every delivery.")]
[CrdValidation("!has(self.type) || self.type != 'basic' || (has(self.username) && self.username != '')", "username is required with type basic", FieldPath = ".username")]
public sealed class DestinationAuthSpec
{
    /// <summary>bearer, basic or apiKey.</summary>
    [Description("bearer sends Authorization: Bearer, basic sends Authorization: Basic with username, apiKey sends the key in header.")]
    [Required]
    [CrdEnum("bearer", "basic", "apiKey")]
    public string? Type { get; set; }

    /// <summary>The token, the password or the key, depending on the type.</summary>
    [Description("The Secret key with the token, the password or the key, depending on the type.")]
    [Required]
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>The user name for basic authentication.</summary>
    [Description("The user name for type basic.")]
    public string? Username { get; set; }

    /// <summary>The header for apiKey authentication; X-Api-Key when unset.</summary>
    [Description("The header that carries the key for type apiKey; X-Api-Key when unset.")]
    [RegularExpression(SchemaPatterns.HeaderName)]
    public string? Header { get; set; }
}

/// <summary>
/// Outgoing Standard Webhooks signing.
/// </summary>
[Description("Signs every delivery the Standard Webhooks way, in the webhook-signature header.")]
public sealed class SigningSpec
{
    /// <summary>A "whsec_"-prefixed base64 secret.</summary>
    [Description("The Secret key with a whsec_-prefixed base64 signing secret.")]
    [Required]
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>More secrets to sign with during a rotation; every signature goes in the one header.</summary>
    [Description("More secrets to sign with during a rotation; every signature goes in the one header.")]
    public IList<SecretKeyReference>? AdditionalSecretRefs { get; set; }
}
