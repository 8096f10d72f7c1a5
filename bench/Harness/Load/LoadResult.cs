using HdrHistogram;

namespace FastHook.Bench.Load;

/// <summary>
/// The outcome of one load run, as the load generator prints it in JSON. Counts cover the measured part only.
/// </summary>
internal sealed class LoadResult
{
    public double TargetRate { get; init; }

    public int Connections { get; init; }

    public int BodySize { get; init; }

    /// <summary>Requests the measured part was meant to send.</summary>
    public long Planned { get; init; }

    /// <summary>Requests that got a response, whatever its status.</summary>
    public long Completed { get; init; }

    /// <summary>Requests that got a 2xx response: acknowledged.</summary>
    public long Succeeded { get; init; }

    /// <summary>Requests that got a response with a status other than 2xx.</summary>
    public long FailedStatus { get; init; }

    /// <summary>Requests that failed without a response: refused or reset connections.</summary>
    public long Errors { get; init; }

    /// <summary>Requests with no response within the request timeout.</summary>
    public long Timeouts { get; init; }

    /// <summary>True when the run hit its own deadline before every request got a response.</summary>
    public bool StoppedByDeadline { get; init; }

    /// <summary>Seconds from the first measured due time to the last response.</summary>
    public double DurationSeconds { get; init; }

    public double AchievedRate { get; init; }

    /// <summary>The longest a request was sent after its due time, in milliseconds.</summary>
    public double MaxLagMs { get; init; }

    /// <summary>Latency from each request's due time to its response: what a provider sending at this rate waits.</summary>
    public required LatencySummary Latency { get; init; }

    /// <summary>Latency from the moment each request was written to its response.</summary>
    public required LatencySummary ServiceTime { get; init; }

    /// <summary>CPU seconds the generator itself used during the run.</summary>
    public double GeneratorCpuSeconds { get; init; }

    /// <summary>True when every planned request got a 2xx response.</summary>
    public bool AllAcknowledged => Succeeded == Planned && FailedStatus == 0 && Errors == 0 && Timeouts == 0;
}

/// <summary>
/// Latency percentiles in milliseconds.
/// </summary>
internal sealed class LatencySummary
{
    public long Count { get; init; }

    public double P50 { get; init; }

    public double P90 { get; init; }

    public double P99 { get; init; }

    public double P999 { get; init; }

    public double Max { get; init; }

    public static LatencySummary From(HistogramBase microseconds)
    {
        if (microseconds.TotalCount == 0)
        {
            return new LatencySummary();
        }

        return new LatencySummary
        {
            Count = microseconds.TotalCount,
            P50 = microseconds.GetValueAtPercentile(50) / 1000.0,
            P90 = microseconds.GetValueAtPercentile(90) / 1000.0,
            P99 = microseconds.GetValueAtPercentile(99) / 1000.0,
            P999 = microseconds.GetValueAtPercentile(99.9) / 1000.0,
            Max = microseconds.GetMaxValue() / 1000.0,
        };
    }
}
