using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using HdrHistogram;

namespace FastHook.Bench.Receiver;

/// <summary>
/// Counters and latencies of the deliveries the receiver took. Safe to update from many requests at once.
/// </summary>
internal sealed class DeliveryStats
{
    /// <summary>Largest latency the histogram records, in microseconds (one hour); larger values are clamped.</summary>
    private const long MaxLatencyMicroseconds = 3_600_000_000;

    // HdrHistogram's concurrent histogram may throw when read while it records, so one lock guards a plain one.
    private readonly Lock _latencyLock = new();
    private readonly ConcurrentDictionary<string, byte> _eventIds = new(StringComparer.Ordinal);
    private LongHistogram _latency = NewHistogram();
    private long _received;
    private long _accepted;
    private long _acceptedTotal;
    private long _rejected;
    private long _firstAcceptedMs;
    private long _lastAcceptedMs;

    private int _answerStatus = StatusCodes.Status200OK;

    /// <summary>The status code of the response to every delivery; 200 unless set through /_status.</summary>
    public int AnswerStatus
    {
        get => Volatile.Read(ref _answerStatus);
        set => Volatile.Write(ref _answerStatus, value);
    }

    /// <summary>
    /// Records one delivery. <paramref name="eventId"/> is the delivery's id header when it has one, and
    /// <paramref name="latencyMicroseconds"/> is negative when the body carried no send time.
    /// </summary>
    public void Record(bool accepted, string? eventId, long latencyMicroseconds, long nowMs)
    {
        Interlocked.Increment(ref _received);
        if (!accepted)
        {
            Interlocked.Increment(ref _rejected);
            return;
        }

        Interlocked.Increment(ref _accepted);
        Interlocked.Increment(ref _acceptedTotal);
        Interlocked.CompareExchange(ref _firstAcceptedMs, nowMs, 0);
        InterlockedMax(ref _lastAcceptedMs, nowMs);

        if (eventId is not null)
        {
            _eventIds.TryAdd(eventId, 0);
        }

        if (latencyMicroseconds >= 0)
        {
            lock (_latencyLock)
            {
                _latency.RecordValue(Math.Clamp(latencyMicroseconds, 1, MaxLatencyMicroseconds));
            }
        }
    }

    /// <summary>
    /// Zeroes the counters and the histogram. The accepted total and the distinct event ids count since start, so
    /// the harness can compare them with everything a system acknowledged.
    /// </summary>
    public void Reset()
    {
        lock (_latencyLock)
        {
            _latency = NewHistogram();
            Interlocked.Exchange(ref _received, 0);
            Interlocked.Exchange(ref _accepted, 0);
            Interlocked.Exchange(ref _rejected, 0);
            Interlocked.Exchange(ref _firstAcceptedMs, 0);
            Interlocked.Exchange(ref _lastAcceptedMs, 0);
        }
    }

    public StatsSnapshot Snapshot()
    {
        lock (_latencyLock)
        {
            var latency = _latency;
            return new StatsSnapshot
            {
                Received = Interlocked.Read(ref _received),
                Accepted = Interlocked.Read(ref _accepted),
                AcceptedTotal = Interlocked.Read(ref _acceptedTotal),
                Rejected = Interlocked.Read(ref _rejected),
                DistinctEvents = _eventIds.Count,
                FirstAcceptedMs = Interlocked.Read(ref _firstAcceptedMs),
                LastAcceptedMs = Interlocked.Read(ref _lastAcceptedMs),
                LatencyCount = latency.TotalCount,
                LatencyP50Ms = Percentile(latency, 50),
                LatencyP90Ms = Percentile(latency, 90),
                LatencyP99Ms = Percentile(latency, 99),
                LatencyP999Ms = Percentile(latency, 99.9),
                LatencyMaxMs = latency.TotalCount == 0 ? 0 : latency.GetMaxValue() / 1000.0,
                AnswerStatus = AnswerStatus,
            };
        }
    }

    private static LongHistogram NewHistogram() => new(1, MaxLatencyMicroseconds, 3);

    private static double Percentile(LongHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}

/// <summary>
/// The JSON returned by /_stats. Latencies are in milliseconds, from the send time in the body to arrival.
/// </summary>
internal sealed class StatsSnapshot
{
    [JsonPropertyName("received")]
    public long Received { get; init; }

    [JsonPropertyName("accepted")]
    public long Accepted { get; init; }

    [JsonPropertyName("acceptedTotal")]
    public long AcceptedTotal { get; init; }

    [JsonPropertyName("rejected")]
    public long Rejected { get; init; }

    [JsonPropertyName("distinctEvents")]
    public long DistinctEvents { get; init; }

    [JsonPropertyName("firstAcceptedMs")]
    public long FirstAcceptedMs { get; init; }

    [JsonPropertyName("lastAcceptedMs")]
    public long LastAcceptedMs { get; init; }

    [JsonPropertyName("latencyCount")]
    public long LatencyCount { get; init; }

    [JsonPropertyName("latencyP50Ms")]
    public double LatencyP50Ms { get; init; }

    [JsonPropertyName("latencyP90Ms")]
    public double LatencyP90Ms { get; init; }

    [JsonPropertyName("latencyP99Ms")]
    public double LatencyP99Ms { get; init; }

    [JsonPropertyName("latencyP999Ms")]
    public double LatencyP999Ms { get; init; }

    [JsonPropertyName("latencyMaxMs")]
    public double LatencyMaxMs { get; init; }

    [JsonPropertyName("answerStatus")]
    public int AnswerStatus { get; init; }
}
