using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// An inbound endpoint and the rules that decide which requests to it are accepted.
/// </summary>
[CrdNames("webhooksources", "webhooksource", ShortNames = ["whs"], Categories = ["fasthook"])]
[Description("An inbound endpoint that providers send webhooks to, with the rules that decide which requests it accepts.")]
[PrinterColumn("Ready", "string", PrinterColumnAttribute.ReadyStatusPath, Description = "The status of the Ready condition")]
[PrinterColumn("URL", "string", ".status.url", Description = "The ingest URL providers send to")]
[PrinterColumn("Provider", "string", ".spec.verification.provider", Description = "How requests are verified")]
[PrinterColumn("Reason", "string", PrinterColumnAttribute.ReadyReasonPath, Priority = 1, Description = "Why the source is or is not ready")]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class WebhookSource : FastHookResource<WebhookSourceSpec, WebhookSourceStatus>
{
    public const string KindName = "WebhookSource";

    public override string Kind { get; set; } = KindName;
}

[Description("The desired state of a WebhookSource.")]
public sealed class WebhookSourceSpec
{
    /// <summary>The public path; "/e/{namespace}/{name}" when unset.</summary>
    [Description("The public path providers send to: it starts with '/' and has no spaces, '?' or '#'. Defaults to /e/{namespace}/{name}.")]
    [RegularExpression(@"^/[^\s?#]*$")]
    [CrdValidation("!self.startsWith('/healthz') && !self.startsWith('/readyz')", "paths starting with /healthz or /readyz are reserved for the gateway's health checks")]
    public string? Path { get; set; }

    /// <summary>HTTP methods the endpoint accepts; POST when unset.</summary>
    [Description("The HTTP methods the endpoint accepts; other methods get 405.")]
    [CrdEnum("GET", "POST", "PUT", "PATCH", "DELETE")]
    [MinLength(1)]
    [CrdDefault(new[] { "POST" })]
    public IList<string>? AllowedMethods { get; set; }

    /// <summary>The largest body accepted, in bytes; 25 MiB (GitHub's payload cap) when unset.</summary>
    [Description("The largest request body accepted, in bytes; larger requests get 413. Defaults to 25 MiB, GitHub's payload limit.")]
    [Range(1, 1 << 30)]
    [CrdDefault(25L * 1024 * 1024)]
    public long? MaxBodyBytes { get; set; }

    [Required]
    public VerificationSpec? Verification { get; set; }

    public SourceResponseSpec? Response { get; set; }

    public DeduplicationSpec? Deduplication { get; set; }

    /// <summary>How long captured requests are kept, as a duration ("72h"); 72h when unset.</summary>
    [Description("How long captured requests are kept, as a duration such as \"72h\". Requests that an undelivered event still needs are kept longer.")]
    [CrdDuration]
    [CrdDefault("72h")]
    public string? Retention { get; set; }
}

[Description("The observed state of a WebhookSource.")]
public sealed class WebhookSourceStatus : ResourceStatus
{
    /// <summary>The ingest URL the provider sends to.</summary>
    [Description("The ingest URL to configure in the provider.")]
    public string? Url { get; set; }
}

/// <summary>
/// How a source proves that a request came from its provider.
/// </summary>
[Description("How the gateway checks that a request came from the provider. Requests that fail get 401.")]
[CrdValidation("!has(self.provider) || has(self.hmac) == (self.provider == 'hmac')", "hmac is required with provider hmac and allowed only with it", FieldPath = ".hmac")]
[CrdValidation("!has(self.provider) || has(self.basicAuth) == (self.provider == 'basicAuth')", "basicAuth (the username) is required with provider basicAuth and allowed only with it", FieldPath = ".basicAuth")]
[CrdValidation("!has(self.provider) || !has(self.apiKey) || self.provider == 'apiKey'", "apiKey is allowed only with provider apiKey", FieldPath = ".apiKey")]
[CrdValidation("!has(self.provider) || has(self.twilio) == (self.provider == 'twilio')", "twilio (the publicUrl) is required with provider twilio and allowed only with it", FieldPath = ".twilio")]
[CrdValidation("!has(self.provider) || self.provider == 'none' || has(self.secretRef)", "secretRef is required unless the provider is none", FieldPath = ".secretRef")]
[CrdValidation(
    "!has(self.provider) || self.provider != 'none' || (!has(self.secretRef) && (!has(self.additionalSecretRefs) || size(self.additionalSecretRefs) == 0))",
    "provider none checks nothing, so secretRef and additionalSecretRefs are not allowed with it",
    FieldPath = ".secretRef")]
[CrdValidation(
    "!has(self.provider) || !has(self.tolerance) || self.provider in ['stripe', 'slack', 'standardWebhooks', 'twitch', 'paddle', 'hmac']",
    "tolerance applies only to providers that sign a timestamp: stripe, slack, standardWebhooks, twitch, paddle and hmac",
    FieldPath = ".tolerance")]
[CrdValidation(
    "!has(self.provider) || !has(self.tolerance) || self.provider != 'hmac' || (has(self.hmac) && has(self.hmac.timestampHeader))",
    "tolerance with provider hmac needs hmac.timestampHeader",
    FieldPath = ".tolerance")]
public sealed class VerificationSpec
{
    /// <summary>One of <see cref="VerificationProviders"/>.</summary>
    [Description("The provider preset, or hmac, basicAuth, apiKey or none (accepts every request).")]
    [Required]
    [CrdEnum(typeof(VerificationProviders), nameof(VerificationProviders.All))]
    public string? Provider { get; set; }

    [Description("The Secret key with the signing secret, token or password. Required unless the provider is none.")]
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>More secrets accepted at the same time, so a secret can be rotated without downtime.</summary>
    [Description("More secrets accepted at the same time as secretRef, so that a secret can be rotated without downtime.")]
    public IList<SecretKeyReference>? AdditionalSecretRefs { get; set; }

    [Description("Settings of provider hmac, and only of it.")]
    public HmacSpec? Hmac { get; set; }

    [Description("Settings of provider basicAuth, and only of it.")]
    public BasicAuthSpec? BasicAuth { get; set; }

    [Description("Settings of provider apiKey, and only of it.")]
    public ApiKeySpec? ApiKey { get; set; }

    [Description("Settings of provider twilio, and only of it.")]
    public TwilioSpec? Twilio { get; set; }

    /// <summary>
    /// How far a signed timestamp may be from the gateway's clock, in either direction ("5m"). Only providers
    /// that sign a timestamp take it; each has its own default (see <c>VerifierFactory</c>).
    /// </summary>
    [Description("How far a signed timestamp may be from the gateway's clock, in either direction, as a duration. Only stripe, slack, standardWebhooks, twitch, paddle and hmac (with timestampHeader) take it. Defaults to 5m, 10m for twitch and 5s for paddle.")]
    [CrdDuration]
    public string? Tolerance { get; set; }
}

/// <summary>
/// The names <c>spec.verification.provider</c> accepts.
/// </summary>
public static class VerificationProviders
{
    public const string None = "none";
    public const string GitHub = "github";
    public const string GitLab = "gitlab";
    public const string Stripe = "stripe";
    public const string Shopify = "shopify";
    public const string Slack = "slack";
    public const string StandardWebhooks = "standardWebhooks";
    public const string Twilio = "twilio";
    public const string Twitch = "twitch";
    public const string Paddle = "paddle";
    public const string Hmac = "hmac";
    public const string BasicAuth = "basicAuth";
    public const string ApiKey = "apiKey";

    public static readonly IReadOnlyList<string> All = [GitHub, GitLab, Stripe, Shopify, Slack, StandardWebhooks, Twilio, Twitch, Paddle, Hmac, BasicAuth, ApiKey, None];

    /// <summary>The providers whose signature covers a timestamp, so that <c>tolerance</c> applies.</summary>
    public static readonly IReadOnlyList<string> Timestamped = [Stripe, Slack, StandardWebhooks, Twitch, Paddle, Hmac];
}

/// <summary>
/// A generic HMAC signature scheme for providers without a preset.
/// </summary>
[Description("A generic HMAC signature scheme for providers without a preset.")]
public sealed class HmacSpec
{
    /// <summary>The request header that carries the signature.</summary>
    [Description("The request header that carries the signature.")]
    [Required]
    [RegularExpression(SchemaPatterns.HeaderName)]
    public string? Header { get; set; }

    /// <summary>sha1, sha256 or sha512; sha256 when unset.</summary>
    [Description("The hash function of the HMAC.")]
    [CrdEnum("sha1", "sha256", "sha512")]
    [CrdDefault("sha256")]
    public string? Algorithm { get; set; }

    /// <summary>hex or base64; hex when unset.</summary>
    [Description("How the digest is written in the header.")]
    [CrdEnum("hex", "base64")]
    [CrdDefault("hex")]
    public string? Encoding { get; set; }

    /// <summary>Text before the encoded digest in the header, such as "sha256=".</summary>
    [Description("Text before the encoded digest in the header, such as \"sha256=\".")]
    public string? Prefix { get; set; }

    /// <summary>
    /// The request header that carries a Unix timestamp; when set, the signed content is
    /// "{timestamp}.{body}" and the timestamp must be within the tolerance.
    /// </summary>
    [Description("The request header that carries a Unix timestamp. When set, the signed content is \"{timestamp}.{body}\" and the timestamp must be within the tolerance.")]
    [RegularExpression(SchemaPatterns.HeaderName)]
    public string? TimestampHeader { get; set; }
}

/// <summary>
/// HTTP Basic authentication: the fixed user name here, the password in <c>secretRef</c>.
/// </summary>
[Description("HTTP Basic authentication: the user name here, the password in secretRef.")]
public sealed class BasicAuthSpec
{
    [Description("The user name; HTTP Basic authentication cannot carry a ':' in it.")]
    [Required]
    [RegularExpression("^[^:]*$")]
    public string? Username { get; set; }
}

/// <summary>
/// A shared key sent in a header, held in <c>secretRef</c>.
/// </summary>
[Description("A shared key sent in a header; the key is in secretRef.")]
public sealed class ApiKeySpec
{
    /// <summary>The header that carries the key; X-Api-Key when unset.</summary>
    [Description("The request header that carries the key.")]
    [RegularExpression(SchemaPatterns.HeaderName)]
    [CrdDefault("X-Api-Key")]
    public string? Header { get; set; }
}

/// <summary>
/// Twilio settings: Twilio signs the URL it called, which the gateway cannot see behind a TLS-terminating proxy.
/// </summary>
[Description("Twilio settings: Twilio signs the URL it called, which the gateway cannot see behind a TLS-terminating proxy.")]
public sealed class TwilioSpec
{
    /// <summary>
    /// The URL configured in Twilio for this source, without a query string, such as
    /// "https://hooks.example.com/e/default/twilio". The query string of each request is appended to it.
    /// </summary>
    [Description("The URL configured in Twilio for this source, without a query string or fragment, such as https://hooks.example.com/e/default/twilio.")]
    [Required]
    [RegularExpression(SchemaPatterns.HttpUrlWithoutQuery)]
    public string? PublicUrl { get; set; }
}

/// <summary>
/// Drops a provider's redelivery of a request the gateway already captured, by a delivery id that the provider
/// sends in a header or in a JSON field of the body. Exactly one of <see cref="Header"/> and <see cref="JsonField"/> is set.
/// </summary>
[Description("Drops a provider's redelivery of a request already captured, by the delivery id in a header or a JSON field of the body.")]
[CrdValidation("has(self.header) != has(self.jsonField)", "set exactly one of header and jsonField")]
public sealed class DeduplicationSpec
{
    /// <summary>The request header that carries the delivery id, such as "X-GitHub-Delivery" or "webhook-id".</summary>
    [Description("The request header that carries the delivery id, such as X-GitHub-Delivery or webhook-id.")]
    [RegularExpression(SchemaPatterns.HeaderName)]
    public string? Header { get; set; }

    /// <summary>A dotted path to a string or number field of a JSON body, such as "id" or "event.id".</summary>
    [Description("A dotted path to a string or number field of a JSON body, such as id or event.id.")]
    [RegularExpression(@"^[^.]+(\.[^.]+)*$")]
    public string? JsonField { get; set; }

    /// <summary>How long a delivery id is remembered, as a duration; 24h when unset.</summary>
    [Description("How long a delivery id is remembered, as a duration.")]
    [CrdDuration]
    [CrdDefault("24h")]
    public string? Window { get; set; }
}

/// <summary>
/// The response the provider gets once its request is captured.
/// </summary>
[Description("The response the provider gets once its request is stored.")]
public sealed class SourceResponseSpec
{
    [Description("A success status, because the provider must see its request acknowledged.")]
    [Range(200, 299)]
    [CrdDefault(200)]
    public int? StatusCode { get; set; }

    [CrdDefault("application/json")]
    public string? ContentType { get; set; }

    [CrdDefault("{\"ok\":true}")]
    public string? Body { get; set; }
}
