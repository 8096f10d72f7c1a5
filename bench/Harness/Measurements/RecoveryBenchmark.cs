using System.Diagnostics;
using FastHook.Bench.Orchestration;
using FastHook.Bench.Reporting;

namespace FastHook.Bench.Measurements;

/// <summary>
/// Recovery: the receiver responds 503 while a backlog of events is captured, so every event fails and waits for a
/// retry (the connection's policy: exponential from 1s, capped at 5s, 100 attempts). Then the receiver answers 200
/// and the harness times how long the gateway takes to deliver every event.
/// </summary>
internal sealed class RecoveryBenchmark(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log)
{
    private const int BodySize = 1024;

    /// <summary>Events sampled to measure the memory of one more attempt record.</summary>
    private const int Samples = 300;

    public async Task<RecoveryResult> RunAsync(double rate)
    {
        using var system = await GatewaySystem.StartAsync(paths, runDirectory, connections: 1, gatewayCount: 1);
        var receiver = system.Receiver;
        await receiver.AnswerWithAsync(503);
        await receiver.ResetAsync();
        var distinctBefore = (await receiver.StatsAsync()).DistinctEvents;

        var events = settings.RecoveryEvents;
        log.Step($"recovery: {events} events at {rate:0}/s while the destination responds 503");
        var load = await tools.FixedRateAsync(system.IngestUrls, rate, BodySize, TimeSpan.Zero, TimeSpan.Zero, stamp: false, count: events);
        if (!load.AllAcknowledged)
        {
            log.Note($"recovery: {load.Planned - load.Succeeded} of {load.Planned} requests were not acknowledged while the destination failed.");
        }

        // Every event has failed at least once when the failed attempts reach the number of events.
        var waitStarted = Stopwatch.GetTimestamp();
        while (await FailedAttemptsAsync(system) < load.Succeeded && Stopwatch.GetElapsedTime(waitStarted) < settings.DrainTimeout)
        {
            await Task.Delay(200);
        }

        var failedAttempts = await FailedAttemptsAsync(system);
        var (bytesPerAttempt, recordBytes) = await MeasureAttemptCostAsync(system);

        log.Step("recovery: the destination responds 200 again; timing the drain");
        var recovered = DateTimeOffset.UtcNow;
        await receiver.AnswerWithAsync(200);
        var started = Stopwatch.GetTimestamp();
        var timeout = settings.DrainTimeout * 2;
        var completed = false;
        ReceiverStats stats;
        while (true)
        {
            stats = await receiver.StatsAsync();
            if (stats.DistinctEvents - distinctBefore >= load.Succeeded)
            {
                completed = true;
                break;
            }

            if (Stopwatch.GetElapsedTime(started) > timeout)
            {
                break;
            }

            await Task.Delay(100);
        }

        var drainSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (!completed)
        {
            log.Note($"recovery: {load.Succeeded - (stats.DistinctEvents - distinctBefore)} of {load.Succeeded} events were still undelivered {timeout.TotalSeconds:0}s after recovery.");
        }

        var result = new RecoveryResult
        {
            Events = load.Succeeded,
            IngestRate = rate,
            FailedAttempts = failedAttempts,
            SecondsToFirstDelivery = stats.FirstAcceptedMs == 0 ? 0 : Math.Max(0, (stats.FirstAcceptedMs - recovered.ToUnixTimeMilliseconds()) / 1000.0),
            DrainSeconds = completed ? drainSeconds : 0,
            DrainEventsPerSecond = completed ? load.Succeeded / drainSeconds : 0,
            Completed = completed,
            DeadLetters = (long)await system.MetricSumAsync("fasthook_dead_letters_total"),
            BytesPerExtraAttempt = bytesPerAttempt,
            AttemptRecordBytes = recordBytes,
        };
        log.Result($"recovery: {result.Events} events drained in {result.DrainSeconds:0.0}s ({result.DrainEventsPerSecond:0}/s), first delivery after {result.SecondsToFirstDelivery:0.00}s, {result.FailedAttempts:0} failed attempts before");
        return result;
    }

    private static Task<double> FailedAttemptsAsync(GatewaySystem system) =>
        system.MetricSumAsync("fasthook_delivery_attempts_total", "outcome=\"serverError\"");

    /// <summary>
    /// Fits MEMORY USAGE of sampled attempt lists against their lengths; the slope is the cost of one more record.
    /// </summary>
    private static async Task<(double BytesPerAttempt, double RecordBytes)> MeasureAttemptCostAsync(GatewaySystem system)
    {
        const string Connection = "fh:{c:bench/github-to-receiver-1}";
        var database = system.Redis.Database;
        var ids = await database.SortedSetRandomMembersAsync(Connection + ":index", Samples);
        var points = new List<(double Length, double Bytes)>();
        double recordBytes = 0;
        var records = 0;
        foreach (var id in ids)
        {
            var key = $"{Connection}:attempts:{id}";
            var length = await database.ListLengthAsync(key);
            if (length == 0)
            {
                continue;
            }

            points.Add((length, await MemoryBenchmark.MemoryUsageAsync(database, key)));
            var first = await database.ListGetByIndexAsync(key, 0);
            recordBytes += first.Length();
            records++;
        }

        if (points.Count < 2)
        {
            return (0, records == 0 ? 0 : recordBytes / records);
        }

        var meanLength = points.Average(point => point.Length);
        var meanBytes = points.Average(point => point.Bytes);
        var covariance = points.Sum(point => (point.Length - meanLength) * (point.Bytes - meanBytes));
        var variance = points.Sum(point => (point.Length - meanLength) * (point.Length - meanLength));
        var slope = variance == 0 ? meanBytes / meanLength : covariance / variance;
        return (slope, recordBytes / records);
    }
}
