namespace FastHook.Api.V1Alpha1;

/// <summary>
/// An inbound endpoint and the rules that decide which requests to it are accepted.
/// </summary>
public sealed class WebhookSource : FastHookResource<WebhookSourceSpec, WebhookSourceStatus>
{
    public const string KindName = "WebhookSource";

    public override string Kind { get; set; } = KindName;
}

public sealed class WebhookSourceSpec
{
    /// <summary>The public path; "/e/{namespace}/{name}" when unset.</summary>
    public string? Path { get; set; }

    /// <summary>HTTP methods the endpoint accepts; POST when unset.</summary>
    public IList<string>? AllowedMethods { get; set; }

    /// <summary>The largest body accepted, in bytes; 25 MiB (GitHub's payload cap) when unset.</summary>
    public long? MaxBodyBytes { get; set; }

    public VerificationSpec? Verification { get; set; }

    public SourceResponseSpec? Response { get; set; }

    public DeduplicationSpec? Deduplication { get; set; }

    /// <summary>How long captured requests are kept, as a duration ("72h"); 72h when unset.</summary>
    public string? Retention { get; set; }
}

public sealed class WebhookSourceStatus : ResourceStatus
{
    /// <summary>The ingest URL the provider sends to.</summary>
    public string? Url { get; set; }
}

/// <summary>
/// How a source proves that a request came from its provider.
/// </summary>
public sealed class VerificationSpec
{
    /// <summary>One of <see cref="VerificationProviders"/>.</summary>
    public string? Provider { get; set; }

    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>More secrets accepted at the same time, so a secret can be rotated without downtime.</summary>
    public IList<SecretKeyReference>? AdditionalSecretRefs { get; set; }

    public HmacSpec? Hmac { get; set; }

    public BasicAuthSpec? BasicAuth { get; set; }

    public ApiKeySpec? ApiKey { get; set; }

    public TwilioSpec? Twilio { get; set; }

    /// <summary>
    /// How far a signed timestamp may be from the gateway's clock, in either direction ("5m"). Only providers
    /// that sign a timestamp take it; each has its own default (see <c>VerifierFactory</c>).
    /// </summary>
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
public sealed class HmacSpec
{
    /// <summary>The request header that carries the signature.</summary>
    public string? Header { get; set; }

    /// <summary>sha1, sha256 or sha512; sha256 when unset.</summary>
    public string? Algorithm { get; set; }

    /// <summary>hex or base64; hex when unset.</summary>
    public string? Encoding { get; set; }

    /// <summary>Text before the encoded digest in the header, such as "sha256=".</summary>
    public string? Prefix { get; set; }

    /// <summary>
    /// The request header that carries a Unix timestamp; when set, the signed content is
    /// "{timestamp}.{body}" and the timestamp must be within the tolerance.
    /// </summary>
    public string? TimestampHeader { get; set; }
}

/// <summary>
/// HTTP Basic authentication: the fixed user name here, the password in <c>secretRef</c>.
/// </summary>
public sealed class BasicAuthSpec
{
    public string? Username { get; set; }
}

/// <summary>
/// A shared key sent in a header, held in <c>secretRef</c>.
/// </summary>
public sealed class ApiKeySpec
{
    /// <summary>The header that carries the key; X-Api-Key when unset.</summary>
    public string? Header { get; set; }
}

/// <summary>
/// Twilio settings: Twilio signs the URL it called, which the gateway cannot see behind a TLS-terminating proxy.
/// </summary>
public sealed class TwilioSpec
{
    /// <summary>
    /// The URL configured in Twilio for this source, without a query string, such as
    /// "https://hooks.example.com/e/default/twilio". The query string of each request is appended to it.
    /// </summary>
    public string? PublicUrl { get; set; }
}

/// <summary>
/// Drops a provider's redelivery of a request the gateway already captured, by a delivery id that the provider
/// sends in a header or in a JSON field of the body. Exactly one of <see cref="Header"/> and <see cref="JsonField"/> is set.
/// </summary>
public sealed class DeduplicationSpec
{
    /// <summary>The request header that carries the delivery id, such as "X-GitHub-Delivery" or "webhook-id".</summary>
    public string? Header { get; set; }

    /// <summary>A dotted path to a string or number field of a JSON body, such as "id" or "event.id".</summary>
    public string? JsonField { get; set; }

    /// <summary>How long a delivery id is remembered, as a duration; 24h when unset.</summary>
    public string? Window { get; set; }
}

/// <summary>
/// The response the provider gets once its request is captured.
/// </summary>
public sealed class SourceResponseSpec
{
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Body { get; set; }
}
