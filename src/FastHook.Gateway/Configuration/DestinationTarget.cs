namespace FastHook.Gateway.Configuration;

/// <summary>
/// A destination ready for delivery, with its credentials resolved.
/// </summary>
public sealed class DestinationTarget
{
    public required string Name { get; init; }

    public required Uri Url { get; init; }

    public required HttpMethod Method { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public required TimeSpan Timeout { get; init; }

    /// <summary>The header that carries credentials, or null without auth.</summary>
    public string? AuthHeaderName { get; init; }

    /// <summary>The credential header's value. Secret: never log it.</summary>
    public string? AuthHeaderValue { get; init; }

    /// <summary>Standard Webhooks signing keys, decoded; empty when deliveries are not signed.</summary>
    public required IReadOnlyList<byte[]> SigningKeys { get; init; }

    public required int MaxConcurrency { get; init; }

    /// <summary>The shared rate limit, or null without one.</summary>
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>The circuit breaker, or null without one.</summary>
    public CircuitBreakerSettings? CircuitBreaker { get; init; }

    public override string ToString() => Name;
}
