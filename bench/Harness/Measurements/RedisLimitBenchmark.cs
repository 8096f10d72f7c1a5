using System.Globalization;
using FastHook.Bench.Orchestration;
using FastHook.Bench.Reporting;

namespace FastHook.Bench.Measurements;

/// <summary>
/// The Redis ceiling for capture: redis-benchmark sending XADD with a 1 KB field, the core of the gateway's
/// capture, to a Redis server configured like the gateway's, once one command per round trip and once pipelined.
/// </summary>
internal sealed class RedisLimitBenchmark(BenchSettings settings, BenchLog log)
{
    private const int Clients = 50;

    public async Task<List<RedisLimitResult>> RunAsync(string runDirectory)
    {
        using var redis = await RedisInstance.StartAsync("redis-benchmark-target", runDirectory);
        var field = new string('x', 1024);
        var results = new List<RedisLimitResult>();
        foreach (var pipeline in new[] { 1, 16 })
        {
            log.Step($"redis-benchmark XADD 1 KB, {Clients} clients, pipeline {pipeline}, {settings.RedisBenchmarkRequests} requests");
            var output = await LoadTools.RunAsync("redis-benchmark", [
                "-h", "127.0.0.1", "-p", redis.Port.ToString(CultureInfo.InvariantCulture),
                "-c", Clients.ToString(CultureInfo.InvariantCulture),
                "-n", settings.RedisBenchmarkRequests.ToString(CultureInfo.InvariantCulture),
                "-P", pipeline.ToString(CultureInfo.InvariantCulture), "--csv",
                "XADD", "bench:xadd", "MAXLEN", "~", "100000", "*", "b", field,
            ], TimeSpan.FromMinutes(5));

            // The last line is "command","rps","avg","min","p50","p95","p99","max", each quoted.
            var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
            var columns = line.Split("\",\"").Select(column => column.Trim('"')).ToArray();
            var result = new RedisLimitResult
            {
                Command = "XADD 1 KB (MAXLEN ~ 100000)",
                Clients = Clients,
                Pipeline = pipeline,
                Requests = settings.RedisBenchmarkRequests,
                RequestsPerSecond = double.Parse(columns[1], CultureInfo.InvariantCulture),
                P50Ms = double.Parse(columns[4], CultureInfo.InvariantCulture),
                P99Ms = double.Parse(columns[6], CultureInfo.InvariantCulture),
            };
            results.Add(result);
            log.Result($"redis-benchmark pipeline {pipeline}: {result.RequestsPerSecond:0} XADD/s, p99 {result.P99Ms:0.00} ms");
        }

        return results;
    }
}
