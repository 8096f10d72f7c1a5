using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// The BullMQ relay (bench/relay) under test: its own Redis server, a benchmark receiver and one Node.js process.
/// Its worker concurrency is <see cref="WebhookSystem.DeliveryConcurrency"/>, the gateway's maxConcurrency.
/// </summary>
internal sealed class RelaySystem : WebhookSystem
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly ManagedProcess _relay;
    private readonly int _port;
    private readonly RedisInstance _redis;
    private readonly ReceiverInstance _receiver;

    private RelaySystem(RedisInstance redis, ReceiverInstance receiver, ManagedProcess relay, int port)
    {
        _redis = redis;
        _receiver = receiver;
        _relay = relay;
        _port = port;
    }

    public override string Name => "bullmq";

    public override IReadOnlyList<Uri> IngestUrls => [new Uri($"http://127.0.0.1:{_port}/e/bench/github")];

    public override IReadOnlyList<ManagedProcess> Processes => [_relay];

    public override RedisInstance Redis => _redis;

    public override ReceiverInstance Receiver => _receiver;

    public static async Task<RelaySystem> StartAsync(BenchPaths paths, string runDirectory)
    {
        var redis = await RedisInstance.StartAsync("redis-bullmq", runDirectory);
        ReceiverInstance? receiver = null;
        try
        {
            receiver = await ReceiverInstance.StartAsync("receiver-bullmq", paths, runDirectory);
            var port = Ports.Free();
            var relay = ManagedProcess.Start("bullmq-relay", "node", [
                paths.Relay, "--port", port.ToString(CultureInfo.InvariantCulture),
                "--redis-port", redis.Port.ToString(CultureInfo.InvariantCulture),
                "--destination", receiver.BaseUrl + "/relay", "--secret", Secret, "--concurrency", DeliveryConcurrency.ToString(CultureInfo.InvariantCulture),
            ], runDirectory);
            await Readiness.WaitForHttpAsync($"http://127.0.0.1:{port}/_stats", relay, TimeSpan.FromSeconds(30), runDirectory);
            return new RelaySystem(redis, receiver, relay, port);
        }
        catch
        {
            receiver?.Dispose();
            redis.Dispose();
            throw;
        }
    }

    public override async Task<long> AcceptedAsync()
    {
        var stats = await Http.GetFromJsonAsync<RelayStats>(new Uri($"http://127.0.0.1:{_port}/_stats"));
        return stats?.Accepted ?? 0;
    }

    public override void Dispose()
    {
        _relay.Dispose();
        _receiver.Dispose();
        _redis.Dispose();
    }

    private sealed class RelayStats
    {
        [JsonPropertyName("accepted")]
        public long Accepted { get; init; }
    }
}
