namespace FastHook.Gateway.Delivery;

/// <summary>
/// Headers the gateway sets on deliveries, and the request headers it never forwards.
/// </summary>
public static class DeliveryHeaders
{
    public const string Attempt = "X-FastHook-Attempt";
    public const string RequestId = "X-FastHook-Request-Id";

    /// <summary>
    /// Request headers not forwarded: hop-by-hop headers, headers the HTTP stack sets, and credentials a
    /// provider sent to the gateway, which must not reach a destination.
    /// </summary>
    public static readonly IReadOnlySet<string> NotForwarded = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Proxy-Connection", "Proxy-Authorization", "Authorization", "Cookie", "Expect",
        "webhook-id", "webhook-timestamp", "webhook-signature", Attempt, RequestId,
    };
}
