namespace FastHook.Api.V1Alpha1;

/// <summary>
/// An outbound HTTP target that events are delivered to.
/// </summary>
public sealed class Destination : FastHookResource<DestinationSpec, DestinationStatus>
{
    public const string KindName = "Destination";

    public override string Kind { get; set; } = KindName;
}

public sealed class DestinationSpec
{
    /// <summary>An absolute http or https URL.</summary>
    public string? Url { get; set; }

    /// <summary>POST, PUT or PATCH; POST when unset.</summary>
    public string? Method { get; set; }

    /// <summary>Extra headers sent with every delivery.</summary>
    public IDictionary<string, string>? Headers { get; set; }

    /// <summary>How long one attempt may take, as a duration; 30s when unset.</summary>
    public string? Timeout { get; set; }

    public DestinationAuthSpec? Auth { get; set; }

    public SigningSpec? Signing { get; set; }

    /// <summary>The most requests in flight to this destination per gateway process; 10 when unset.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>The most requests per period to this destination, shared by all gateway processes.</summary>
    public RateLimitSpec? RateLimit { get; set; }

    /// <summary>Stops deliveries to a failing destination instead of spending retries on it.</summary>
    public CircuitBreakerSpec? CircuitBreaker { get; set; }
}

/// <summary>
/// A rate limit shared through Redis by every gateway process: events beyond it wait, none is dropped.
/// </summary>
public sealed class RateLimitSpec
{
    /// <summary>Requests allowed per period.</summary>
    public int? Requests { get; set; }

    /// <summary>The period, as a duration; 1s when unset.</summary>
    public string? Per { get; set; }

    /// <summary>Requests that may go at once after a quiet spell; 1 when unset, which spaces requests evenly.</summary>
    public int? Burst { get; set; }
}

/// <summary>
/// After <see cref="FailureThreshold"/> failed attempts in a row the destination is marked unhealthy and
/// deliveries are held; after <see cref="CoolDown"/> one probe is sent, and a success resumes delivery.
/// </summary>
public sealed class CircuitBreakerSpec
{
    /// <summary>Failed attempts in a row that open the circuit; 5 when unset.</summary>
    public int? FailureThreshold { get; set; }

    /// <summary>How long deliveries are held before a probe, as a duration; 30s when unset.</summary>
    public string? CoolDown { get; set; }
}

public sealed class DestinationStatus : ResourceStatus
{
}

/// <summary>
/// Credentials the gateway sends to the destination.
/// </summary>
public sealed class DestinationAuthSpec
{
    /// <summary>bearer, basic or apiKey.</summary>
    public string? Type { get; set; }

    /// <summary>The token, the password or the key, depending on the type.</summary>
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>The user name for basic authentication.</summary>
    public string? Username { get; set; }

    /// <summary>The header for apiKey authentication; X-Api-Key when unset.</summary>
    public string? Header { get; set; }
}

/// <summary>
/// Outgoing Standard Webhooks signing.
/// </summary>
public sealed class SigningSpec
{
    /// <summary>A "whsec_"-prefixed base64 secret.</summary>
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>More secrets to sign with during a rotation; every signature goes in the one header.</summary>
    public IList<SecretKeyReference>? AdditionalSecretRefs { get; set; }
}
