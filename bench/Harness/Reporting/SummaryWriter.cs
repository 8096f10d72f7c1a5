using System.Globalization;
using System.Text;

namespace FastHook.Bench.Reporting;

/// <summary>
/// Writes a run's results as Markdown tables, the form docs/benchmarks.md quotes.
/// </summary>
internal static class SummaryWriter
{
    public static string Write(BenchResults results, string stamp)
    {
        var text = new StringBuilder();
        var machine = results.Machine;
        Line(text, $"## Run {stamp} ({results.Mode} mode, {results.DurationSeconds / 60:0.0} minutes, {results.DeliveryConcurrency} deliveries in flight per destination)");
        Line(text, "");
        Line(text, "| machine | |");
        Line(text, "|---|---|");
        Line(text, $"| cores (nproc) | {machine.ProcessorCount} |");
        Line(text, $"| CPU | {machine.CpuModel} |");
        Line(text, $"| memory | {machine.MemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB |");
        Line(text, $"| kernel | {machine.Kernel} |");
        Line(text, $"| Redis | {machine.RedisVersion} |");
        Line(text, $"| .NET SDK | {machine.DotnetVersion} |");
        Line(text, $"| Node.js | {machine.NodeVersion} |");
        Line(text, $"| wrk | {machine.WrkVersion} |");
        Line(text, $"| commit | {machine.GitCommit} |");
        Line(text, $"| load average (1 min) at start / end | {machine.LoadAverageStart:0.00} / {machine.LoadAverageEnd:0.00} |");
        Line(text, "");

        WriteTargets(text, results);
        WriteIngest(text, results);
        WriteEndToEnd(text, results);
        WriteRedisLimit(text, results);
        WriteMemory(text, results);
        WriteRecovery(text, results);

        if (results.Notes.Count > 0)
        {
            Line(text, "### Notes from the run");
            Line(text, "");
            foreach (var note in results.Notes)
            {
                Line(text, $"- {note}");
            }

            Line(text, "");
        }

        return text.ToString();
    }

    private static void WriteTargets(StringBuilder text, BenchResults results)
    {
        Line(text, "### Targets");
        Line(text, "");
        Line(text, "| target | measured | goal | met |");
        Line(text, "|---|---|---|---|");
        foreach (var target in results.Targets)
        {
            Line(text, $"| {target.Name} | {target.Measured} | {target.Target} | {(target.Met ? "yes" : "**no**")} |");
        }

        Line(text, "");
    }

    private static void WriteIngest(StringBuilder text, BenchResults results)
    {
        var bare = TargetChecks.Ingest(results, "bare");
        Line(text, "### Ingest: saturation (wrk, 1 thread, 64 connections)");
        Line(text, "");
        Line(text, "| system | body | requests/s | vs bare 1 KB | wrk p99 ms | errors | CPU s per 1000 requests (system + Redis) | max RSS MiB |");
        Line(text, "|---|---|---|---|---|---|---|---|");
        foreach (var ingest in results.Ingest)
        {
            var saturation = ingest.Saturation;
            var errors = saturation.ConnectErrors + saturation.ReadErrors + saturation.WriteErrors + saturation.StatusErrors + saturation.Timeouts;
            var ratio = bare is null ? "" : Percent(saturation.Rate / bare.Saturation.Rate);
            Line(text, $"| {Name(ingest.System, ingest.Variant)} | {Size(ingest.BodySize)} | {saturation.Rate:0} | {ratio} | {saturation.P99Ms:0.00} | {errors} | {ingest.CpuPerThousandRequests:0.000} + {ingest.RedisCpuPerThousandRequests:0.000} | {ingest.MaxResidentBytes / 1048576.0:0} |");
        }

        Line(text, "");
        Line(text, "### Ingest: latency at a fixed rate (ms, from each request's due time)");
        Line(text, "");
        Line(text, "| system | body | load | rate/s | p50 | p90 | p99 | p99.9 | max | acknowledged | generator CPU | generator max lag ms |");
        Line(text, "|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var ingest in results.Ingest)
        {
            foreach (var level in ingest.Levels)
            {
                var load = level.Load;
                Line(text, $"| {Name(ingest.System, ingest.Variant)} | {Size(ingest.BodySize)} | {level.Fraction:P0} | {load.TargetRate:0} | {load.Latency.P50:0.00} | {load.Latency.P90:0.00} | {load.Latency.P99:0.00} | {load.Latency.P999:0.00} | {load.Latency.Max:0.00} | {load.Succeeded}/{load.Planned} | {load.GeneratorCpuSeconds / Math.Max(0.001, load.DurationSeconds):P0} | {load.MaxLagMs:0.0} |");
            }
        }

        Line(text, "");
    }

    private static void WriteEndToEnd(StringBuilder text, BenchResults results)
    {
        var bare = TargetChecks.Ingest(results, "bare");
        Line(text, "### End to end: sustained rate and send-to-delivery latency at 50% of it");
        Line(text, "");
        Line(text, "| system | case | body | connections | gateways | requests/s | events/s | vs bare 1 KB | p50 ms | p90 ms | p99 ms | p99.9 ms | CPU ms per event (system + Redis) | max RSS MiB | probes |");
        Line(text, "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var result in results.EndToEnd)
        {
            var half = result.HalfLoad?.Receiver;
            var best = result.Probes.Where(probe => probe.Passed).MaxBy(probe => probe.RequestRate);
            var cost = best is null ? "" : $"{best.CpuMsPerEvent:0.000} + {best.RedisCpuMsPerEvent:0.000}";
            var rss = result.Probes.Count == 0 ? 0 : result.Probes.Max(probe => probe.MaxResidentBytes) / 1048576.0;
            var probes = string.Join(", ", result.Probes.Select(probe => string.Create(CultureInfo.InvariantCulture, $"{probe.RequestRate:0}{(probe.Passed ? "+" : "-")}")));
            var ratio = bare is null ? "" : Percent(result.SustainedEventRate / bare.Saturation.Rate);
            Line(text, $"| {result.System} | {result.Case} | {Size(result.BodySize)} | {result.Connections} | {result.Gateways} | {result.SustainedRequestRate:0} | {result.SustainedEventRate:0} | {ratio} | {half?.LatencyP50Ms:0.0} | {half?.LatencyP90Ms:0.0} | {half?.LatencyP99Ms:0.0} | {half?.LatencyP999Ms:0.0} | {cost} | {rss:0} | {probes} |");
        }

        Line(text, "");
        Line(text, "Probes list each tried request rate with + when it passed and - when it failed.");
        Line(text, "");
    }

    private static void WriteRedisLimit(StringBuilder text, BenchResults results)
    {
        Line(text, "### Redis limit (redis-benchmark)");
        Line(text, "");
        Line(text, "| command | clients | pipeline | requests/s | p50 ms | p99 ms |");
        Line(text, "|---|---|---|---|---|---|");
        foreach (var result in results.RedisLimit)
        {
            Line(text, $"| {result.Command} | {result.Clients} | {result.Pipeline} | {result.RequestsPerSecond:0} | {result.P50Ms:0.000} | {result.P99Ms:0.000} |");
        }

        Line(text, "");
    }

    private static void WriteMemory(StringBuilder text, BenchResults results)
    {
        if (results.Memory is not { } memory)
        {
            return;
        }

        Line(text, "### Memory");
        Line(text, "");
        Line(text, "| measure | value |");
        Line(text, "|---|---|");
        Line(text, $"| events captured and delivered | {memory.Events} at {memory.IngestRate:0}/s ({memory.DrainSeconds:0} s) |");
        Line(text, $"| Redis used_memory before / after | {memory.UsedMemoryBefore / 1048576.0:0.0} / {memory.UsedMemoryAfter / 1048576.0:0.0} MiB |");
        Line(text, $"| Redis bytes per delivered 1 KB event | {memory.BytesPerEvent:0} |");
        foreach (var (kind, bytes) in memory.BreakdownBytesPerEvent)
        {
            Line(text, $"| of which {kind} (MEMORY USAGE) | {bytes:0} |");
        }

        if (results.Recovery is { } recovery)
        {
            Line(text, $"| each further attempt record (slope over list length) | {recovery.BytesPerExtraAttempt:0} B; a record's JSON is {recovery.AttemptRecordBytes:0} B |");
        }

        Line(text, $"| gateway RSS: max while loading / after | {memory.GatewayMaxResidentBytes / 1048576.0:0} / {memory.GatewayResidentBytesAfter / 1048576.0:0} MiB |");
        Line(text, $"| Redis RSS after | {memory.RedisResidentBytesAfter / 1048576.0:0} MiB |");
        Line(text, $"| BullMQ relay: Redis bytes per completed job | {memory.RelayBytesPerJob:0} over {memory.RelayJobs} jobs |");
        Line(text, "");
    }

    private static void WriteRecovery(StringBuilder text, BenchResults results)
    {
        if (results.Recovery is not { } recovery)
        {
            return;
        }

        Line(text, "### Recovery");
        Line(text, "");
        Line(text, "| measure | value |");
        Line(text, "|---|---|");
        Line(text, $"| backlog | {recovery.Events} events captured at {recovery.IngestRate:0}/s while the destination answered 503 |");
        Line(text, $"| failed attempts before recovery | {recovery.FailedAttempts:0} |");
        Line(text, $"| first delivery after recovery | {recovery.SecondsToFirstDelivery:0.00} s |");
        Line(text, $"| time to deliver the whole backlog | {(recovery.Completed ? recovery.DrainSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "not finished")} |");
        Line(text, $"| drain rate | {recovery.DrainEventsPerSecond:0} events/s |");
        Line(text, $"| dead letters | {recovery.DeadLetters} |");
        Line(text, "");
    }

    private static string Name(string system, string variant) => variant.Length == 0 ? system : $"{system} ({variant})";

    private static string Size(int bytes) => bytes >= 1024 ? $"{bytes / 1024} KB" : $"{bytes} B";

    private static string Percent(double ratio) => ratio.ToString("P0", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');
}
