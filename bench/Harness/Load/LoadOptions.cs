namespace FastHook.Bench.Load;

/// <summary>
/// Settings of one fixed-rate load run.
/// </summary>
internal sealed class LoadOptions
{
    /// <summary>Targets, each an http URL with path; connections are spread over them in turn.</summary>
    public required IReadOnlyList<Uri> Targets { get; init; }

    /// <summary>Requests per second, all connections together.</summary>
    public required double Rate { get; init; }

    /// <summary>Length of the measured part of the run.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Requests to send in the measured part instead of <see cref="Duration"/>; the run then lasts count / rate.
    /// </summary>
    public long? Count { get; init; }

    /// <summary>Load at the same rate before the measured part, not recorded.</summary>
    public TimeSpan Warmup { get; init; }

    /// <summary>Open connections; each carries one request at a time (HTTP/1.1 keep-alive, no pipelining).</summary>
    public required int Connections { get; init; }

    /// <summary>Body size in bytes.</summary>
    public required int BodySize { get; init; }

    /// <summary>The GitHub webhook secret that signs every body.</summary>
    public required string Secret { get; init; }

    /// <summary>
    /// When true, every request carries its own send time and signature. When false, the generator sends one fixed
    /// signed body, as wrk does, which costs it less CPU.
    /// </summary>
    public bool StampEachRequest { get; init; }

    /// <summary>How long one request may take before it counts as a timeout and its connection is reopened.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Total requests of the run, warm-up included.</summary>
    public long TotalRequests => WarmupRequests + MeasuredRequests;

    public long WarmupRequests => (long)Math.Round(Warmup.TotalSeconds * Rate);

    public long MeasuredRequests => Count ?? (long)Math.Round(Duration.TotalSeconds * Rate);
}
