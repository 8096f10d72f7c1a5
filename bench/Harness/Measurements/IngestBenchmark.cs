using FastHook.Bench.Orchestration;
using FastHook.Bench.Reporting;

namespace FastHook.Bench.Measurements;

/// <summary>
/// Ingest: the highest rate at which a system acknowledges every request (wrk, closed loop, after a warm-up),
/// then open-loop latency at 25%, 50% and 90% of that rate from the fixed-rate generator.
/// </summary>
internal sealed class IngestBenchmark(BenchSettings settings, LoadTools tools, BenchLog log)
{
    public static readonly double[] Fractions = [0.25, 0.5, 0.9];

    public async Task<IngestResult> RunAsync(WebhookSystem system, int bodySize, string variant = "", bool withLatency = true)
    {
        var url = system.IngestUrls[0];
        var label = $"ingest {system.Name}{(variant.Length > 0 ? " " + variant : "")} {bodySize} B";

        log.Step($"{label}: wrk warm-up for {settings.SaturationWarmup.TotalSeconds:0}s");
        await tools.WrkAsync(url, bodySize, settings.SaturationWarmup);
        await DrainAsync(system, label);

        log.Step($"{label}: wrk saturation for {settings.SaturationDuration.TotalSeconds:0}s");
        var (cpuBefore, redisBefore) = system.CpuSeconds();
        WrkResult saturation;
        long maxResident;
        await using (var sampler = new ResourceSampler(system))
        {
            saturation = await tools.WrkAsync(url, bodySize, settings.SaturationDuration);
            maxResident = sampler.MaxResidentBytes;
        }

        var (cpuAfter, redisAfter) = system.CpuSeconds();
        var thousands = Math.Max(1, saturation.Requests) / 1000.0;
        var result = new IngestResult
        {
            System = system.Name,
            Variant = variant,
            BodySize = bodySize,
            Saturation = saturation,
            CpuPerThousandRequests = (cpuAfter - cpuBefore) / thousands,
            RedisCpuPerThousandRequests = (redisAfter - redisBefore) / thousands,
            MaxResidentBytes = maxResident,
        };
        log.Result($"{label}: {saturation.Rate:0} requests/s, p99 {saturation.P99Ms:0.00} ms, errors {saturation.ConnectErrors + saturation.ReadErrors + saturation.WriteErrors + saturation.StatusErrors + saturation.Timeouts}");
        if (!saturation.AllAcknowledged)
        {
            log.Note($"{label}: wrk saw errors at saturation (status {saturation.StatusErrors}, timeouts {saturation.Timeouts}, read {saturation.ReadErrors}, connect {saturation.ConnectErrors}).");
        }

        if (!withLatency)
        {
            return result;
        }

        foreach (var fraction in Fractions)
        {
            await DrainAsync(system, label);
            var rate = saturation.Rate * fraction;
            log.Step($"{label}: fixed rate {rate:0}/s ({fraction:P0}) for {settings.LatencyDuration.TotalSeconds:0}s");
            var load = await tools.FixedRateAsync([url], rate, bodySize, settings.LatencyDuration, settings.LatencyWarmup, stamp: false);
            result.Levels.Add(new IngestLevel { Fraction = fraction, Load = load });
            log.Result($"{label} at {fraction:P0}: p50 {load.Latency.P50:0.00} p90 {load.Latency.P90:0.00} p99 {load.Latency.P99:0.00} p99.9 {load.Latency.P999:0.00} ms, acknowledged {load.Succeeded}/{load.Planned}");
            if (!load.AllAcknowledged)
            {
                log.Note($"{label} at {fraction:P0}: {load.Planned - load.Succeeded} of {load.Planned} requests were not acknowledged (status {load.FailedStatus}, errors {load.Errors}, timeouts {load.Timeouts}).");
            }
        }

        return result;
    }

    private async Task DrainAsync(WebhookSystem system, string label)
    {
        if (!await system.WaitForDrainAsync(settings.DrainTimeout, TimeSpan.FromSeconds(30)))
        {
            log.Note($"{label}: the backlog did not drain within {settings.DrainTimeout.TotalSeconds:0}s; the next run starts with it.");
        }
    }
}
