using FastHook.Bench.Orchestration;
using FastHook.Bench.Reporting;
using StackExchange.Redis;

namespace FastHook.Bench.Measurements;

/// <summary>
/// Redis memory per stored event: INFO used_memory before and after a fresh gateway and Redis capture and deliver
/// many 1 KB events, divided by the count. MEMORY USAGE splits it by key kind, and the gateway's resident memory is
/// sampled while it works. The BullMQ relay is measured the same way, per job.
/// </summary>
internal sealed class MemoryBenchmark(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log)
{
    public const int BodySize = 1024;

    /// <summary>Event keys sampled for the breakdown.</summary>
    private const int Samples = 500;

    public async Task<MemoryResult> RunAsync(double rate)
    {
        using var system = await GatewaySystem.StartAsync(paths, runDirectory, connections: 1, gatewayCount: 1);
        var redis = system.Redis;
        var before = await redis.UsedMemoryAsync();
        var events = settings.MemoryEvents;

        log.Step($"memory fasthook: {events} events of {BodySize} B at {rate:0}/s, then drain");
        var started = DateTimeOffset.UtcNow;
        long maxResident;
        await using (var sampler = new ResourceSampler(system))
        {
            var load = await tools.FixedRateAsync(system.IngestUrls, rate, BodySize, TimeSpan.Zero, TimeSpan.Zero, stamp: false, count: events);
            if (!load.AllAcknowledged)
            {
                log.Note($"memory fasthook: {load.Planned - load.Succeeded} of {load.Planned} requests were not acknowledged.");
            }

            var timeout = TimeSpan.FromSeconds(Math.Max(settings.DrainTimeout.TotalSeconds, events / Math.Max(rate, 1) * 2));
            if (!await system.WaitForDrainAsync(timeout, TimeSpan.FromSeconds(60)))
            {
                log.Note($"memory fasthook: not every event was delivered within {timeout.TotalSeconds:0}s; memory includes undelivered ones.");
            }

            maxResident = sampler.MaxResidentBytes;
        }

        var drainSeconds = (DateTimeOffset.UtcNow - started).TotalSeconds;
        var accepted = await system.AcceptedAsync();
        var after = await redis.UsedMemoryAsync();
        var result = new MemoryResult
        {
            Events = accepted,
            BodySize = BodySize,
            UsedMemoryBefore = before,
            UsedMemoryAfter = after,
            BytesPerEvent = (after - before) / (double)Math.Max(1, accepted),
            IngestRate = rate,
            DrainSeconds = drainSeconds,
            GatewayMaxResidentBytes = maxResident,
            GatewayResidentBytesAfter = system.ResidentBytes(),
            RedisResidentBytesAfter = redis.Process.ResidentBytes(),
        };

        await AddBreakdownAsync(redis.Database, result, accepted);
        log.Result($"memory fasthook: {result.BytesPerEvent:0} bytes per event over {accepted} events; gateway RSS max {maxResident / 1048576.0:0} MiB");
        return result;
    }

    /// <summary>Measures Redis memory per job of the BullMQ relay the same way, with fewer jobs.</summary>
    public async Task MeasureRelayAsync(MemoryResult result, long jobs, double rate)
    {
        using var system = await RelaySystem.StartAsync(paths, runDirectory);
        var before = await system.Redis.UsedMemoryAsync();
        log.Step($"memory bullmq: {jobs} jobs of {BodySize} B at {rate:0}/s, then drain");
        await tools.FixedRateAsync(system.IngestUrls, rate, BodySize, TimeSpan.Zero, TimeSpan.Zero, stamp: false, count: jobs);
        var timeout = TimeSpan.FromSeconds(Math.Max(settings.DrainTimeout.TotalSeconds, jobs / Math.Max(rate, 1) * 2));
        if (!await system.WaitForDrainAsync(timeout, TimeSpan.FromSeconds(60)))
        {
            log.Note($"memory bullmq: not every job was delivered within {timeout.TotalSeconds:0}s.");
        }

        var accepted = await system.AcceptedAsync();
        var after = await system.Redis.UsedMemoryAsync();
        result.RelayJobs = accepted;
        result.RelayBytesPerJob = (after - before) / (double)Math.Max(1, accepted);
        log.Result($"memory bullmq: {result.RelayBytesPerJob:0} bytes per job over {accepted} jobs");
    }

    /// <summary>
    /// Splits the memory by key kind: the source's request stream and the connection's index are measured whole;
    /// event hashes and attempt lists are sampled. The keys follow the gateway's layout with prefix "fh".
    /// </summary>
    private static async Task AddBreakdownAsync(IDatabase database, MemoryResult result, long events)
    {
        const string Connection = "fh:{c:bench/github-to-receiver-1}";
        var perEvent = Math.Max(1, events);

        result.BreakdownBytesPerEvent["requestStream"] = await MemoryUsageAsync(database, "fh:{s:bench/github}:requests") / (double)perEvent;
        result.BreakdownBytesPerEvent["eventIndex"] = await MemoryUsageAsync(database, Connection + ":index") / (double)perEvent;
        result.BreakdownBytesPerEvent["eventStream"] = await MemoryUsageAsync(database, Connection + ":events") / (double)perEvent;

        var ids = await database.SortedSetRandomMembersAsync(Connection + ":index", Samples);
        double eventBytes = 0;
        double attemptBytes = 0;
        foreach (var id in ids)
        {
            eventBytes += await MemoryUsageAsync(database, $"{Connection}:event:{id}");
            attemptBytes += await MemoryUsageAsync(database, $"{Connection}:attempts:{id}");
        }

        result.BreakdownBytesPerEvent["eventHash"] = ids.Length == 0 ? 0 : eventBytes / ids.Length;
        result.BreakdownBytesPerEvent["attemptList"] = ids.Length == 0 ? 0 : attemptBytes / ids.Length;
    }

    /// <summary>MEMORY USAGE of a key with every element counted (SAMPLES 0), 0 when the key does not exist.</summary>
    public static async Task<long> MemoryUsageAsync(IDatabase database, string key)
    {
        var value = await database.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
        return value.IsNull ? 0 : (long)value;
    }
}
