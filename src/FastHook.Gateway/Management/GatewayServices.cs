using FastHook.Gateway.Configuration;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Replay;
using FastHook.Gateway.Storage;
using StackExchange.Redis;

namespace FastHook.Gateway.Management;

/// <summary>
/// The parts of a running gateway that the management endpoints use.
/// </summary>
public sealed class GatewayServices
{
    public required GatewayOptions Options { get; init; }

    public required RouteTableProvider Routes { get; init; }

    public required IConnectionMultiplexer Redis { get; init; }

    public required RequestStore Requests { get; init; }

    public required EventStore Events { get; init; }

    public required ReplayStore Replays { get; init; }

    public required ReplayWorker ReplayWorker { get; init; }

    public required GatewayMetrics Metrics { get; init; }

    public required TimeProvider Clock { get; init; }
}
