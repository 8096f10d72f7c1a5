using FastHook.Bench.Load;
using FastHook.Bench.Orchestration;

namespace FastHook.Bench.Reporting;

/// <summary>
/// Everything one harness run measured, written as bench/results/TIMESTAMP.json. Rates are per second,
/// latencies in milliseconds, memory in bytes, CPU in seconds, unless a name says otherwise.
/// </summary>
internal sealed class BenchResults
{
    public required string Mode { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; set; }

    public required MachineInfo Machine { get; init; }

    /// <summary>Deliveries in flight per destination and process, for the gateway and the relay alike.</summary>
    public int DeliveryConcurrency { get; init; }

    public List<IngestResult> Ingest { get; } = [];

    public List<EndToEndResult> EndToEnd { get; } = [];

    public List<RedisLimitResult> RedisLimit { get; } = [];

    public MemoryResult? Memory { get; set; }

    public RecoveryResult? Recovery { get; set; }

    public List<TargetCheck> Targets { get; } = [];

    /// <summary>Things that went wrong or look suspicious during the run, in the order they happened.</summary>
    public List<string> Notes { get; } = [];
}

/// <summary>
/// The machine and software versions a run came from.
/// </summary>
internal sealed class MachineInfo
{
    public int ProcessorCount { get; init; }

    public string CpuModel { get; init; } = "";

    public long MemoryBytes { get; init; }

    public string Kernel { get; init; } = "";

    public string RedisVersion { get; init; } = "";

    public string DotnetVersion { get; init; } = "";

    public string NodeVersion { get; init; } = "";

    public string WrkVersion { get; init; } = "";

    public string GitCommit { get; init; } = "";

    /// <summary>
    /// The 1-minute load average when the run started and ended, from /proc/loadavg: above the core count, other
    /// work on the machine competed with the run.
    /// </summary>
    public double LoadAverageStart { get; init; }

    public double LoadAverageEnd { get; set; }
}

/// <summary>
/// Ingest of one system at one body size: the wrk saturation rate and fixed-rate latency at fractions of it.
/// </summary>
internal sealed class IngestResult
{
    public required string System { get; init; }

    /// <summary>A qualifier such as "deliveryPaused", empty for the standard run.</summary>
    public string Variant { get; init; } = "";

    public int BodySize { get; init; }

    public required WrkResult Saturation { get; init; }

    public List<IngestLevel> Levels { get; } = [];

    /// <summary>CPU seconds per 1000 requests during the saturation run, of the system and of its Redis.</summary>
    public double CpuPerThousandRequests { get; init; }

    public double RedisCpuPerThousandRequests { get; init; }

    public long MaxResidentBytes { get; set; }
}

/// <summary>
/// One fixed-rate run at a fraction of the saturation rate.
/// </summary>
internal sealed class IngestLevel
{
    public double Fraction { get; init; }

    public required LoadResult Load { get; init; }
}

/// <summary>
/// The end-to-end search of one system and shape: the highest probed rate that was sustained, and latency at half of it.
/// </summary>
internal sealed class EndToEndResult
{
    public required string System { get; init; }

    /// <summary>"baseline", "connections-10", "connections-100", "gateways-2", and so on.</summary>
    public required string Case { get; init; }

    public int BodySize { get; init; }

    public int Connections { get; init; }

    public int Gateways { get; init; }

    /// <summary>Delivery rate measured while wrk saturated ingest, the start of the search.</summary>
    public double EstimateEventsPerSecond { get; init; }

    /// <summary>The highest request rate that passed, 0 when none did.</summary>
    public double SustainedRequestRate { get; set; }

    /// <summary>Deliveries per second at <see cref="SustainedRequestRate"/>: requests times connections.</summary>
    public double SustainedEventRate { get; set; }

    public List<ProbeResult> Probes { get; } = [];

    /// <summary>The run at half of the sustained rate, with send-to-delivery latency from the receiver.</summary>
    public ProbeResult? HalfLoad { get; set; }
}

/// <summary>
/// One fixed-rate end-to-end run.
/// </summary>
internal sealed class ProbeResult
{
    public double RequestRate { get; init; }

    public bool Passed { get; set; }

    /// <summary>Why a probe failed, empty when it passed.</summary>
    public string Reason { get; set; } = "";

    public required LoadResult Load { get; init; }

    /// <summary>Deliveries expected: requests acknowledged in the window times connections.</summary>
    public long Expected { get; init; }

    /// <summary>Distinct events received by the end of the window.</summary>
    public long DeliveredInWindow { get; init; }

    /// <summary>Distinct events received by the end of the grace period that follows the window.</summary>
    public long DeliveredAfterGrace { get; init; }

    /// <summary>Deliveries of an event the receiver had already accepted, such as repeats after a timeout.</summary>
    public long Duplicates { get; init; }

    public double WindowSeconds { get; init; }

    public double DeliveredEventRate { get; init; }

    /// <summary>Expected minus delivered at the end of the window: the backlog the window left.</summary>
    public long BacklogAtWindowEnd { get; init; }

    public double CpuSeconds { get; init; }

    public double RedisCpuSeconds { get; init; }

    /// <summary>CPU milliseconds per delivered event, of the system's processes and of its Redis.</summary>
    public double CpuMsPerEvent { get; init; }

    public double RedisCpuMsPerEvent { get; init; }

    public long MaxResidentBytes { get; init; }

    public required ReceiverStats Receiver { get; init; }
}

/// <summary>
/// One redis-benchmark run: XADD of a 1 KB field on the same kind of Redis server.
/// </summary>
internal sealed class RedisLimitResult
{
    public required string Command { get; init; }

    public int Clients { get; init; }

    public int Pipeline { get; init; }

    public long Requests { get; init; }

    public double RequestsPerSecond { get; init; }

    public double P50Ms { get; init; }

    public double P99Ms { get; init; }
}

/// <summary>
/// Redis memory per stored event after capturing and delivering many events, with a breakdown by key kind.
/// </summary>
internal sealed class MemoryResult
{
    public long Events { get; init; }

    public int BodySize { get; init; }

    public long UsedMemoryBefore { get; init; }

    public long UsedMemoryAfter { get; init; }

    public double BytesPerEvent { get; init; }

    /// <summary>Bytes per event by key kind, from MEMORY USAGE: request stream, event hashes, attempt lists, index.</summary>
    public Dictionary<string, double> BreakdownBytesPerEvent { get; } = [];

    public double IngestRate { get; init; }

    public double DrainSeconds { get; init; }

    public long GatewayMaxResidentBytes { get; init; }

    public long GatewayResidentBytesAfter { get; init; }

    public long RedisResidentBytesAfter { get; init; }

    /// <summary>The same measurement for the BullMQ relay, with completed jobs kept as BullMQ does by default.</summary>
    public double RelayBytesPerJob { get; set; }

    public long RelayJobs { get; set; }
}

/// <summary>
/// Recovery: a backlog built while the destination responded 503, then drained once it responded 200.
/// </summary>
internal sealed class RecoveryResult
{
    public long Events { get; init; }

    public double IngestRate { get; init; }

    /// <summary>Failed attempts made while the destination responded 503.</summary>
    public double FailedAttempts { get; init; }

    /// <summary>Seconds from the destination's recovery to the first successful delivery.</summary>
    public double SecondsToFirstDelivery { get; init; }

    /// <summary>Seconds from the destination's recovery until every event was delivered, 0 when it timed out.</summary>
    public double DrainSeconds { get; init; }

    public double DrainEventsPerSecond { get; init; }

    public bool Completed { get; init; }

    public long DeadLetters { get; init; }

    /// <summary>
    /// Redis bytes each further attempt record adds to an event's attempt list: the least-squares slope of
    /// MEMORY USAGE over list length, on sampled events of this run, which failed several times.
    /// </summary>
    public double BytesPerExtraAttempt { get; set; }

    /// <summary>Mean length of one stored attempt record (JSON), in bytes.</summary>
    public double AttemptRecordBytes { get; set; }
}

/// <summary>
/// One target of the benchmark brief, with the measured value and whether it was met.
/// </summary>
internal sealed class TargetCheck
{
    public required string Name { get; init; }

    public required string Measured { get; init; }

    public required string Target { get; init; }

    public bool Met { get; init; }
}
