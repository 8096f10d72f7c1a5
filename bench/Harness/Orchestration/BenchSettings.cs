namespace FastHook.Bench.Orchestration;

/// <summary>
/// Sizes and durations of one harness mode. "full" is the published run; "quick" is for development;
/// "smoke" runs every measurement at a tiny size for CI, in about three minutes.
/// </summary>
internal sealed class BenchSettings
{
    public required string Mode { get; init; }

    /// <summary>wrk load before the saturation run, not recorded.</summary>
    public required TimeSpan SaturationWarmup { get; init; }

    /// <summary>The recorded wrk saturation run.</summary>
    public required TimeSpan SaturationDuration { get; init; }

    /// <summary>Each fixed-rate latency run at 25%, 50% and 90% of the saturation rate.</summary>
    public required TimeSpan LatencyDuration { get; init; }

    public required TimeSpan LatencyWarmup { get; init; }

    /// <summary>The window of each end-to-end probe.</summary>
    public required TimeSpan ProbeDuration { get; init; }

    /// <summary>Probes of the end-to-end rate search for the one-connection, one-gateway case and the relay.</summary>
    public required int Probes { get; init; }

    /// <summary>Probes of each scale case (10 and 100 connections, 2 gateways).</summary>
    public required int ScaleProbes { get; init; }

    /// <summary>Events captured and delivered before Redis memory per event is measured.</summary>
    public required long MemoryEvents { get; init; }

    /// <summary>Backlog size of the recovery measurement.</summary>
    public required long RecoveryEvents { get; init; }

    /// <summary>Requests of each redis-benchmark run.</summary>
    public required long RedisBenchmarkRequests { get; init; }

    /// <summary>Whether the end-to-end search also runs with 64 KB bodies.</summary>
    public required bool EndToEndLargeBodies { get; init; }

    /// <summary>The longest wait for a backlog to drain between measurements.</summary>
    public required TimeSpan DrainTimeout { get; init; }

    public static BenchSettings For(string mode) => mode switch
    {
        "full" => new BenchSettings
        {
            Mode = mode,
            SaturationWarmup = TimeSpan.FromSeconds(10),
            SaturationDuration = TimeSpan.FromSeconds(15),
            LatencyDuration = TimeSpan.FromSeconds(15),
            LatencyWarmup = TimeSpan.FromSeconds(3),
            ProbeDuration = TimeSpan.FromSeconds(15),
            Probes = 5,
            ScaleProbes = 4,
            MemoryEvents = 1_000_000,
            RecoveryEvents = 100_000,
            RedisBenchmarkRequests = 300_000,
            EndToEndLargeBodies = true,
            DrainTimeout = TimeSpan.FromMinutes(5),
        },
        "quick" => new BenchSettings
        {
            Mode = mode,
            SaturationWarmup = TimeSpan.FromSeconds(4),
            SaturationDuration = TimeSpan.FromSeconds(6),
            LatencyDuration = TimeSpan.FromSeconds(6),
            LatencyWarmup = TimeSpan.FromSeconds(1),
            ProbeDuration = TimeSpan.FromSeconds(6),
            Probes = 3,
            ScaleProbes = 2,
            MemoryEvents = 50_000,
            RecoveryEvents = 20_000,
            RedisBenchmarkRequests = 100_000,
            EndToEndLargeBodies = true,
            DrainTimeout = TimeSpan.FromMinutes(2),
        },
        "smoke" => new BenchSettings
        {
            Mode = mode,
            SaturationWarmup = TimeSpan.FromSeconds(1),
            SaturationDuration = TimeSpan.FromSeconds(2),
            LatencyDuration = TimeSpan.FromSeconds(1),
            LatencyWarmup = TimeSpan.FromSeconds(0.5),
            ProbeDuration = TimeSpan.FromSeconds(1.5),
            Probes = 1,
            ScaleProbes = 1,
            MemoryEvents = 2_000,
            RecoveryEvents = 1_000,
            RedisBenchmarkRequests = 20_000,
            EndToEndLargeBodies = false,
            DrainTimeout = TimeSpan.FromSeconds(30),
        },
        _ => throw new ArgumentException($"Invalid --mode '{mode}': use full, quick or smoke."),
    };
}
