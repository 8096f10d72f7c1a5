using System.Globalization;
using System.Text;
using FastHook.Bench.Orchestration;
using StackExchange.Redis;

namespace FastHook.Bench.Measurements;

/// <summary>
/// The "profile" command: runs FastHook end to end at a fixed rate and records where the time goes, for the
/// analysis in docs/benchmarks.md. It writes these files to the output folder:
/// trace.nettrace, top-exclusive.txt and top-inclusive.txt: dotnet-trace thread-time sampling of the gateway
/// (about 100 Hz per thread, waits included) and its hottest methods.
/// counters.csv: dotnet-counters of System.Runtime and ASP.NET Core hosting.
/// redis-commands.txt: Redis commands and their microseconds per delivered event, from INFO commandstats.
/// perf-symbols.txt and perf-libraries.txt, when Linux perf is installed: CPU samples of the gateway with .NET
/// method names from the runtime's perf map. They use the software cpu-clock event, which works in VMs without
/// hardware counters.
/// </summary>
internal static class ProfileCommand
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var paths = BenchPaths.Locate();
        paths.Verify();
        var rate = arguments.Number("rate", 1000);
        var duration = TimeSpan.FromSeconds(arguments.Number("duration", 20));
        var connections = (int)arguments.Number("connections", 1);
        WebhookSystem.DeliveryConcurrency = (int)arguments.Number("max-concurrency", WebhookSystem.DeliveryConcurrency);
        var tools = arguments.Optional("tools") ?? Path.Combine(paths.Root, "bench", ".tools");
        var output = Path.GetFullPath(arguments.Optional("out") ?? Path.Combine(paths.Root, "bench", "profiles"));
        Directory.CreateDirectory(output);
        var runDirectory = Path.Combine(Path.GetTempPath(), "fasthook-profile-" + DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Directory.CreateDirectory(runDirectory);

        var log = new BenchLog([]);
        var load = new LoadTools(paths, runDirectory);
        var perfMap = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // A perf map names JIT-compiled methods; without W^X, JIT code is not double-mapped and perf can resolve it.
            ["DOTNET_PerfMapEnabled"] = "3",
            ["DOTNET_EnableWriteXorExecute"] = "0",
        };
        using var system = await GatewaySystem.StartAsync(paths, runDirectory, connections, gatewayCount: 1, environment: perfMap);
        var gateway = system.Processes[0];

        log.Step($"profile: warm-up at {rate:0} requests/s for 10s");
        await load.FixedRateAsync(system.IngestUrls, rate, 1024, TimeSpan.FromSeconds(10), TimeSpan.Zero, stamp: true);
        await system.WaitForDrainAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));

        var server = system.Redis.Server;
        await server.ExecuteAsync("CONFIG", "RESETSTAT");
        var deliveredBefore = (await system.Receiver.StatsAsync()).DistinctEvents;
        var (cpuBefore, redisBefore) = system.CpuSeconds();

        log.Step($"profile: {duration.TotalSeconds:0}s at {rate:0} requests/s with dotnet-trace and dotnet-counters attached to PID {gateway.Id}");
        var traceFile = Path.Combine(output, "trace.nettrace");
        var span = duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture);
        var trace = LoadTools.RunAsync(Path.Combine(tools, "dotnet-trace"), [
            "collect", "-p", gateway.Id.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time,dotnet-common", "--duration", span, "-o", traceFile,
        ], duration + TimeSpan.FromMinutes(2));
        var counters = LoadTools.RunAsync(Path.Combine(tools, "dotnet-counters"), [
            "collect", "-p", gateway.Id.ToString(CultureInfo.InvariantCulture), "--duration", span, "--format", "csv",
            "-o", Path.Combine(output, "counters.csv"), "--counters", "System.Runtime,Microsoft.AspNetCore.Hosting",
        ], duration + TimeSpan.FromMinutes(2));
        var perfData = Path.Combine(output, "perf.data");
        var perf = HasPerf()
            ? LoadTools.RunAsync("perf", [
                "record", "-e", "cpu-clock", "-F", "499", "-g", "-p", gateway.Id.ToString(CultureInfo.InvariantCulture), "-o", perfData,
                "--", "sleep", duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ], duration + TimeSpan.FromMinutes(2))
            : Task.FromResult("");
        var result = await load.FixedRateAsync(system.IngestUrls, rate, 1024, duration, TimeSpan.Zero, stamp: true);
        await Task.WhenAll(trace, counters, perf);
        if (HasPerf())
        {
            foreach (var (name, sort) in new[] { ("perf-symbols.txt", "symbol"), ("perf-libraries.txt", "dso") })
            {
                var report = await LoadTools.RunAsync("perf", ["report", "-i", perfData, "--stdio", "--no-children", "--sort", sort, "-g", "none", "--percent-limit", "0.5"], TimeSpan.FromMinutes(5));
                await File.WriteAllTextAsync(Path.Combine(output, name), report);
            }
        }

        await system.WaitForDrainAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30));

        var (cpuAfter, redisAfter) = system.CpuSeconds();
        var delivered = Math.Max(1, (await system.Receiver.StatsAsync()).DistinctEvents - deliveredBefore);
        await File.WriteAllTextAsync(Path.Combine(output, "redis-commands.txt"), await CommandStatsAsync(server, delivered, cpuAfter - cpuBefore, redisAfter - redisBefore));

        foreach (var (name, inclusive) in new[] { ("top-exclusive.txt", false), ("top-inclusive.txt", true) })
        {
            var report = new List<string> { "report", traceFile, "topN", "-n", "40" };
            if (inclusive)
            {
                report.Add("--inclusive");
            }

            await File.WriteAllTextAsync(Path.Combine(output, name), await LoadTools.RunAsync(Path.Combine(tools, "dotnet-trace"), report, TimeSpan.FromMinutes(5)));
        }

        log.Result($"profile: {result.Succeeded} requests acknowledged, {delivered} events delivered; gateway {(cpuAfter - cpuBefore) * 1000 / delivered:0.000} ms CPU per event, Redis {(redisAfter - redisBefore) * 1000 / delivered:0.000} ms");
        log.Result($"profile: files in {output}");
        Directory.Delete(runDirectory, recursive: true);
        return 0;
    }

    private static bool HasPerf() => File.Exists("/usr/bin/perf");

    /// <summary>Formats INFO commandstats as calls and Redis microseconds per delivered event, busiest first.</summary>
    private static async Task<string> CommandStatsAsync(IServer server, long delivered, double gatewayCpu, double redisCpu)
    {
        var info = await server.InfoAsync("commandstats");
        var rows = new List<(string Command, double Calls, double Microseconds)>();
        foreach (var (key, value) in info.SelectMany(group => group))
        {
            // cmdstat_xadd: calls=123,usec=456,usec_per_call=3.71,...
            var fields = value.Split(',').Select(field => field.Split('=')).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            rows.Add((key.Replace("cmdstat_", "", StringComparison.Ordinal),
                double.Parse(fields["calls"], CultureInfo.InvariantCulture), double.Parse(fields["usec"], CultureInfo.InvariantCulture)));
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Delivered events: {delivered}\n");
        text.Append(CultureInfo.InvariantCulture, $"CPU per delivered event: gateway {gatewayCpu * 1000 / delivered:0.000} ms, redis-server {redisCpu * 1000 / delivered:0.000} ms\n");
        text.Append(CultureInfo.InvariantCulture, $"Redis command time per delivered event (INFO commandstats): {rows.Sum(row => row.Microseconds) / delivered:0.0} us\n\n");
        text.Append("command                     calls/event   us/event   us/call\n");
        foreach (var row in rows.OrderByDescending(row => row.Microseconds))
        {
            text.Append(CultureInfo.InvariantCulture, $"{row.Command,-26} {row.Calls / delivered,12:0.000} {row.Microseconds / delivered,10:0.00} {row.Microseconds / Math.Max(1, row.Calls),9:0.00}\n");
        }

        return text.ToString();
    }
}
