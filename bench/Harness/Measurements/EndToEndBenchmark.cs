using System.Diagnostics;
using FastHook.Bench.Orchestration;
using FastHook.Bench.Reporting;

namespace FastHook.Bench.Measurements;

/// <summary>
/// End to end: the highest request rate at which every request is acknowledged and every event reaches the
/// receiver with no growing backlog, found by a bounded search of fixed-rate probes, then the send-to-delivery
/// latency at half of that rate.
/// </summary>
internal sealed class EndToEndBenchmark(BenchSettings settings, LoadTools tools, BenchLog log)
{
    /// <summary>The end-of-window backlog a passing probe may leave, in seconds of its own event rate.</summary>
    private const double AllowedBacklogSeconds = 0.5;

    public async Task<EndToEndResult> RunAsync(WebhookSystem system, string caseName, int bodySize, int gateways, int probes)
    {
        var receiver = system.Receiver ?? throw new InvalidOperationException($"{system.Name} has no receiver to measure deliveries.");
        var label = $"end-to-end {system.Name} {caseName} {bodySize} B";
        await DrainAsync(system, label);

        var (estimateEvents, startRate) = await EstimateAsync(system, receiver, bodySize, label);
        var result = new EndToEndResult
        {
            System = system.Name,
            Case = caseName,
            BodySize = bodySize,
            Connections = system.Fanout,
            Gateways = gateways,
            EstimateEventsPerSecond = estimateEvents,
        };

        double? bestPass = null;
        double? lowestFail = null;
        var rate = startRate;
        for (var i = 0; i < probes; i++)
        {
            var probe = await ProbeAsync(system, receiver, rate, bodySize, settings.ProbeDuration, label);
            result.Probes.Add(probe);
            if (probe.Passed)
            {
                bestPass = Math.Max(bestPass ?? 0, rate);
            }
            else
            {
                lowestFail = Math.Min(lowestFail ?? double.MaxValue, rate);
            }

            if (bestPass is { } pass && lowestFail is { } fail)
            {
                if (fail / pass < 1.05)
                {
                    break;
                }

                rate = Math.Sqrt(pass * fail);
            }
            else
            {
                rate = bestPass is null ? rate * 0.75 : rate * 1.3;
            }
        }

        result.SustainedRequestRate = bestPass ?? 0;
        result.SustainedEventRate = (bestPass ?? 0) * system.Fanout;
        if (bestPass is null)
        {
            log.Note($"{label}: no probe passed in {probes} tries; the lowest rate tried was {result.Probes.Min(probe => probe.RequestRate):0}/s.");
        }

        var half = (bestPass ?? result.Probes.Min(probe => probe.RequestRate)) / 2;
        result.HalfLoad = await ProbeAsync(system, receiver, half, bodySize, settings.ProbeDuration, label + " at 50%");
        log.Result($"{label}: sustained {result.SustainedRequestRate:0} requests/s = {result.SustainedEventRate:0} events/s; at 50%: p50 {result.HalfLoad.Receiver.LatencyP50Ms:0.0} p99 {result.HalfLoad.Receiver.LatencyP99Ms:0.0} ms");
        return result;
    }

    /// <summary>
    /// Runs one fixed-rate window, then compares the requests acknowledged with the deliveries received by the end
    /// of the window and after a grace period.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(WebhookSystem system, ReceiverInstance receiver, double rate, int bodySize, TimeSpan duration, string label)
    {
        await DrainAsync(system, label);
        await receiver.ResetAsync();
        var distinctBefore = (await receiver.StatsAsync()).DistinctEvents;
        var acceptedBefore = await system.AcceptedAsync();
        var (cpuBefore, redisBefore) = system.CpuSeconds();

        log.Step($"{label}: probe at {rate:0} requests/s for {duration.TotalSeconds:0}s");
        Load.LoadResult load;
        long maxResident;
        await using (var sampler = new ResourceSampler(system))
        {
            load = await tools.FixedRateAsync(system.IngestUrls, rate, bodySize, duration, TimeSpan.Zero, stamp: true);
            maxResident = sampler.MaxResidentBytes;
        }

        var atEnd = await receiver.StatsAsync();
        var (cpuAfter, redisAfter) = system.CpuSeconds();
        var expected = (await system.AcceptedAsync() - acceptedBefore) * system.Fanout;

        var grace = TimeSpan.FromSeconds(Math.Max(1.5, duration.TotalSeconds / 4));
        var graceStarted = Stopwatch.GetTimestamp();
        var afterGrace = atEnd;
        while (afterGrace.DistinctEvents - distinctBefore < expected && Stopwatch.GetElapsedTime(graceStarted) < grace)
        {
            await Task.Delay(100);
            afterGrace = await receiver.StatsAsync();
        }

        // Deliveries are counted as distinct event ids: a delivery repeated after a timeout is not progress.
        var deliveredInWindow = atEnd.DistinctEvents - distinctBefore;
        var deliveredAfterGrace = afterGrace.DistinctEvents - distinctBefore;
        var window = Math.Max(load.DurationSeconds, 0.001);
        var backlog = expected - deliveredInWindow;
        var allowedBacklog = Math.Max(100, AllowedBacklogSeconds * rate * system.Fanout);
        var delivered = Math.Max(1, deliveredInWindow);
        var probe = new ProbeResult
        {
            RequestRate = rate,
            Load = load,
            Expected = expected,
            DeliveredInWindow = deliveredInWindow,
            DeliveredAfterGrace = deliveredAfterGrace,
            Duplicates = afterGrace.Accepted - deliveredAfterGrace,
            WindowSeconds = window,
            DeliveredEventRate = deliveredInWindow / window,
            BacklogAtWindowEnd = backlog,
            CpuSeconds = cpuAfter - cpuBefore,
            RedisCpuSeconds = redisAfter - redisBefore,
            CpuMsPerEvent = (cpuAfter - cpuBefore) * 1000 / delivered,
            RedisCpuMsPerEvent = (redisAfter - redisBefore) * 1000 / delivered,
            MaxResidentBytes = maxResident,
            Receiver = afterGrace,
        };

        if (!load.AllAcknowledged)
        {
            probe.Reason = $"{load.Planned - load.Succeeded} of {load.Planned} requests not acknowledged";
        }
        else if (backlog > allowedBacklog)
        {
            probe.Reason = $"backlog of {backlog} events at the end of the window (allowed {allowedBacklog:0})";
        }
        else if (deliveredAfterGrace < expected)
        {
            probe.Reason = $"{expected - deliveredAfterGrace} events still undelivered {grace.TotalSeconds:0}s after the window";
        }

        probe.Passed = probe.Reason.Length == 0;
        log.Result($"{label}: {(probe.Passed ? "passed" : "failed")} at {rate:0}/s, delivered {probe.DeliveredEventRate:0} events/s, backlog {backlog}, p99 {afterGrace.LatencyP99Ms:0.0} ms{(probe.Passed ? "" : ": " + probe.Reason)}");
        return probe;
    }

    /// <summary>
    /// Estimates the sustainable request rate from two short measurements: the ingest rate under wrk saturation
    /// (I, requests/s) and the rate at which the backlog it left then drains (D, events/s). Ingest and delivery
    /// share the CPU, so a request costs about 1/I + fanout/D seconds of the machine and the estimate is the inverse.
    /// Returns the delivery estimate in events/s and the first probe's request rate.
    /// </summary>
    private async Task<(double EventsPerSecond, double RequestRate)> EstimateAsync(WebhookSystem system, ReceiverInstance receiver, int bodySize, string label)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(1, settings.ProbeDuration.TotalSeconds / 3));
        log.Step($"{label}: estimate with wrk for {duration.TotalSeconds:0}s, then drain");
        var saturation = await tools.WrkAsync(system.IngestUrls[0], bodySize, duration);
        var ingestRate = Math.Max(1, saturation.Rate);

        var drainStart = Stopwatch.GetTimestamp();
        var deliveredAtStart = (await receiver.StatsAsync()).DistinctEvents;
        var drained = await system.WaitForDrainAsync(settings.DrainTimeout, TimeSpan.FromSeconds(30));
        var drainSeconds = Stopwatch.GetElapsedTime(drainStart).TotalSeconds;
        var drainedEvents = (await receiver.StatsAsync()).DistinctEvents - deliveredAtStart;
        if (!drained)
        {
            log.Note($"{label}: the estimate's backlog did not drain within {settings.DrainTimeout.TotalSeconds:0}s.");
        }

        // A backlog gone in under half a second means delivery kept up with saturated ingest.
        var deliveryRate = drainSeconds < 0.5 || drainedEvents < 100 ? double.PositiveInfinity : drainedEvents / drainSeconds;
        var requestRate = 1 / ((1 / ingestRate) + (system.Fanout / deliveryRate));
        log.Result($"{label}: estimate: ingest {ingestRate:0}/s, drain {deliveryRate:0} events/s, start at {requestRate * 0.9:0} requests/s");
        return (double.IsInfinity(deliveryRate) ? ingestRate * system.Fanout : deliveryRate, requestRate * 0.9);
    }

    private async Task DrainAsync(WebhookSystem system, string label)
    {
        if (!await system.WaitForDrainAsync(settings.DrainTimeout, TimeSpan.FromSeconds(30)))
        {
            log.Note($"{label}: the backlog did not drain within {settings.DrainTimeout.TotalSeconds:0}s; the next run starts with it.");
        }
    }
}
