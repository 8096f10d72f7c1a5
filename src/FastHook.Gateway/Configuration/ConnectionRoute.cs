using FastHook.Gateway.Filtering;
using FastHook.Gateway.Retry;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Transformation;

namespace FastHook.Gateway.Configuration;

/// <summary>
/// A connection ready for routing and delivery.
/// </summary>
public sealed class ConnectionRoute
{
    public required string Name { get; init; }

    public required string SourceName { get; init; }

    public required DestinationTarget Destination { get; init; }

    public required RetryPolicy Retry { get; init; }

    public required bool Paused { get; init; }

    public required TimeSpan Retention { get; init; }

    public required TimeSpan DeadLetterRetention { get; init; }

    public required ConnectionKeys Keys { get; init; }

    /// <summary>How long after receipt the first attempt may be made; zero without a delay.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The ordering settings, or null when events of this connection are delivered in any order.</summary>
    public OrderingSettings? Ordering { get; init; }

    /// <summary>The requests that become events; null routes every request.</summary>
    public RequestFilter? Filter { get; init; }

    /// <summary>Rewrites each event before delivery; null delivers the captured request byte for byte.</summary>
    public TransformScript? Transform { get; init; }
}
