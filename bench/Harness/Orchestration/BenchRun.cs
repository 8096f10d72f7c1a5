using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FastHook.Bench.Measurements;
using FastHook.Bench.Reporting;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// The "run" command: every measurement in one run on one machine, each system started fresh with its own Redis,
/// then the results file, the summary tables and the plots.
/// </summary>
internal static class BenchRun
{
    private const int SmallBody = 1024;
    private const int LargeBody = 64 * 1024;

    public static async Task<int> RunAsync(Arguments arguments)
    {
        var settings = BenchSettings.For(arguments.Optional("mode") ?? "quick");
        WebhookSystem.DeliveryConcurrency = (int)arguments.Number("max-concurrency", WebhookSystem.DeliveryConcurrency);
        var paths = BenchPaths.Locate();
        paths.Verify();

        var startedAt = DateTimeOffset.UtcNow;
        var stamp = startedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var outputDirectory = Path.GetFullPath(arguments.Optional("out") ?? Path.Combine(paths.Root, "bench", "results"));
        var runDirectory = Path.Combine(Path.GetTempPath(), "fasthook-bench-" + stamp);
        Directory.CreateDirectory(outputDirectory);
        Directory.CreateDirectory(runDirectory);

        var results = new BenchResults
        {
            Mode = settings.Mode,
            StartedAt = startedAt,
            Machine = await MachineInfoReader.ReadAsync(paths),
            DeliveryConcurrency = WebhookSystem.DeliveryConcurrency,
        };
        var log = new BenchLog(results.Notes);
        var tools = new LoadTools(paths, runDirectory);
        var clock = Stopwatch.StartNew();
        var only = arguments.Optional("only")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        log.Step($"mode {settings.Mode}; servers log to {runDirectory}");

        // Runs a phase unless --only names others; phase names are redis, bare, fasthook, paused, bullmq, scale, memory, recovery.
        Task RunPhaseAsync(string name, Func<Task> phase) =>
            only is null || only.Contains(name, StringComparer.Ordinal) ? RunGuardedAsync(log, name, phase) : Task.CompletedTask;

        await RunPhaseAsync("redis", async () => results.RedisLimit.AddRange(await new RedisLimitBenchmark(settings, log).RunAsync(runDirectory)));
        await RunPhaseAsync("bare", () => RunBareAsync(settings, tools, paths, runDirectory, log, results));
        await RunPhaseAsync("fasthook", () => RunGatewayAsync(settings, tools, paths, runDirectory, log, results));
        await RunPhaseAsync("paused", () => RunPausedGatewayAsync(settings, tools, paths, runDirectory, log, results));
        await RunPhaseAsync("bullmq", () => RunRelayAsync(settings, tools, paths, runDirectory, log, results));
        await RunPhaseAsync("scale", () => RunScaleAsync(settings, tools, paths, runDirectory, log, results));

        var gatewayRate = Baseline(results, "fasthook", SmallBody)?.SustainedRequestRate is > 0 and var rate ? rate : 500;
        var relayRate = Baseline(results, "bullmq", SmallBody)?.SustainedRequestRate is > 0 and var relay ? relay : 200;
        await RunPhaseAsync("memory", async () =>
        {
            var memory = new MemoryBenchmark(settings, tools, paths, runDirectory, log);
            results.Memory = await memory.RunAsync(gatewayRate);
            await memory.MeasureRelayAsync(results.Memory, Math.Max(1000, settings.MemoryEvents / 10), relayRate);
        });
        await RunPhaseAsync("recovery", async () => results.Recovery = await new RecoveryBenchmark(settings, tools, paths, runDirectory, log).RunAsync(gatewayRate));

        results.DurationSeconds = clock.Elapsed.TotalSeconds;
        results.Machine.LoadAverageEnd = MachineInfoReader.LoadAverage();
        TargetChecks.Evaluate(results);

        var jsonPath = Path.Combine(outputDirectory, stamp + ".json");
        await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(results, BenchJson.Options));
        var summaryPath = Path.Combine(outputDirectory, stamp + ".md");
        await File.WriteAllTextAsync(summaryPath, SummaryWriter.Write(results, stamp));
        Plots.Write(results, outputDirectory, stamp);

        log.Result($"results: {jsonPath}");
        log.Result($"summary: {summaryPath}");
        Console.WriteLine(await File.ReadAllTextAsync(summaryPath));

        // Server logs help only when something went wrong.
        if (results.Notes.Count == 0)
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        else
        {
            log.Result($"server logs kept in {runDirectory} because the run has notes");
        }

        return 0;
    }

    public static EndToEndResult? Baseline(BenchResults results, string system, int bodySize) =>
        results.EndToEnd.FirstOrDefault(result => result.System == system && result.Case == "baseline" && result.BodySize == bodySize);

    /// <summary>
    /// Runs one phase. A failure is logged and kept in the notes, and the run goes on with the next phase, so that
    /// one broken system does not lose the measurements of the others.
    /// </summary>
    private static async Task RunGuardedAsync(BenchLog log, string name, Func<Task> phase)
    {
        log.Step($"phase: {name}");
        try
        {
            await phase();
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or HttpRequestException or StackExchange.Redis.RedisException or JsonException)
        {
            log.Note($"phase {name} failed: {exception.Message}");
        }
    }

    private static async Task RunBareAsync(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log, BenchResults results)
    {
        using var bare = await BareSystem.StartAsync(paths, runDirectory);
        var ingest = new IngestBenchmark(settings, tools, log);
        results.Ingest.Add(await ingest.RunAsync(bare, SmallBody));
        results.Ingest.Add(await ingest.RunAsync(bare, LargeBody));
    }

    private static async Task RunGatewayAsync(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log, BenchResults results)
    {
        using var gateway = await GatewaySystem.StartAsync(paths, runDirectory, connections: 1, gatewayCount: 1);
        var ingest = new IngestBenchmark(settings, tools, log);
        results.Ingest.Add(await ingest.RunAsync(gateway, SmallBody));
        results.Ingest.Add(await ingest.RunAsync(gateway, LargeBody));

        var endToEnd = new EndToEndBenchmark(settings, tools, log);
        results.EndToEnd.Add(await endToEnd.RunAsync(gateway, "baseline", SmallBody, gateways: 1, settings.Probes));
        if (settings.EndToEndLargeBodies)
        {
            results.EndToEnd.Add(await endToEnd.RunAsync(gateway, "baseline", LargeBody, gateways: 1, settings.ScaleProbes));
        }
    }

    /// <summary>
    /// Ingest with every connection paused: capture and routing only, no delivery competing for the CPU. It shows
    /// how much of the ingest rate and latency delivery takes away on a small machine.
    /// </summary>
    private static async Task RunPausedGatewayAsync(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log, BenchResults results)
    {
        using var gateway = await GatewaySystem.StartAsync(paths, runDirectory, connections: 1, gatewayCount: 1, paused: true);
        var ingest = new IngestBenchmark(settings, tools, log);
        results.Ingest.Add(await ingest.RunAsync(new PausedView(gateway), SmallBody, variant: "deliveryPaused"));
    }

    private static async Task RunRelayAsync(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log, BenchResults results)
    {
        using var relay = await RelaySystem.StartAsync(paths, runDirectory);
        var ingest = new IngestBenchmark(settings, tools, log);
        results.Ingest.Add(await ingest.RunAsync(relay, SmallBody));
        results.Ingest.Add(await ingest.RunAsync(relay, LargeBody));

        var endToEnd = new EndToEndBenchmark(settings, tools, log);
        results.EndToEnd.Add(await endToEnd.RunAsync(relay, "baseline", SmallBody, gateways: 1, settings.Probes));
        if (settings.EndToEndLargeBodies)
        {
            results.EndToEnd.Add(await endToEnd.RunAsync(relay, "baseline", LargeBody, gateways: 1, settings.ScaleProbes));
        }
    }

    private static async Task RunScaleAsync(BenchSettings settings, LoadTools tools, BenchPaths paths, string runDirectory, BenchLog log, BenchResults results)
    {
        var endToEnd = new EndToEndBenchmark(settings, tools, log);
        foreach (var (connections, gateways) in new[] { (10, 1), (100, 1), (1, 2) })
        {
            var name = gateways > 1 ? $"gateways-{gateways}" : $"connections-{connections}";
            using var gateway = await GatewaySystem.StartAsync(paths, runDirectory, connections, gateways);
            results.EndToEnd.Add(await endToEnd.RunAsync(gateway, name, SmallBody, gateways, settings.ScaleProbes));
        }
    }

    /// <summary>
    /// A paused gateway delivers nothing, so it reports no accepted requests: the harness must not wait for
    /// deliveries that cannot come.
    /// </summary>
    private sealed class PausedView(GatewaySystem gateway) : WebhookSystem
    {
        public override string Name => gateway.Name;

        public override IReadOnlyList<Uri> IngestUrls => gateway.IngestUrls;

        public override IReadOnlyList<ManagedProcess> Processes => gateway.Processes;

        public override RedisInstance Redis => gateway.Redis;

        public override void Dispose()
        {
        }
    }
}
