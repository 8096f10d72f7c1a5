using System.Globalization;
using System.Text;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// FastHook under test: its own Redis server, a benchmark receiver, and one or more gateway processes that share
/// the work through the consumer groups. One GitHub-signed source fans out to <see cref="Fanout"/> connections,
/// each to its own destination on the receiver, with <see cref="WebhookSystem.DeliveryConcurrency"/> deliveries in
/// flight per destination and process.
/// </summary>
internal sealed class GatewaySystem : WebhookSystem
{
    /// <summary>The Standard Webhooks secret the gateway signs deliveries with, as a production destination would.</summary>
    private const string SigningSecret = "whsec_ZmFzdGhvb2stYmVuY2gtc2lnbmluZy1zZWNyZXQ=";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly List<ManagedProcess> _gateways;
    private readonly List<int> _ingestPorts;
    private readonly List<int> _managementPorts;
    private readonly RedisInstance _redis;
    private readonly ReceiverInstance _receiver;
    private readonly int _connections;

    private GatewaySystem(RedisInstance redis, ReceiverInstance receiver, List<ManagedProcess> gateways, List<int> ingestPorts, List<int> managementPorts, int connections)
    {
        _redis = redis;
        _receiver = receiver;
        _gateways = gateways;
        _ingestPorts = ingestPorts;
        _managementPorts = managementPorts;
        _connections = connections;
    }

    public override string Name => "fasthook";

    public override IReadOnlyList<Uri> IngestUrls => _ingestPorts.Select(port => new Uri($"http://127.0.0.1:{port}/e/bench/github")).ToList();

    public override IReadOnlyList<ManagedProcess> Processes => _gateways;

    public override RedisInstance Redis => _redis;

    public override ReceiverInstance Receiver => _receiver;

    public override int Fanout => _connections;

    /// <summary>
    /// Starts Redis, the receiver and <paramref name="gatewayCount"/> gateways with <paramref name="connections"/>
    /// connections on the one source. <paramref name="paused"/> pauses every connection, so requests are captured
    /// and routed but not delivered.
    /// </summary>
    /// <param name="environment">Extra environment variables of the gateway processes, such as DOTNET_PerfMapEnabled.</param>
    public static async Task<GatewaySystem> StartAsync(BenchPaths paths, string runDirectory, int connections, int gatewayCount, bool paused = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var redis = await RedisInstance.StartAsync("redis-fasthook", runDirectory);
        ReceiverInstance? receiver = null;
        var gateways = new List<ManagedProcess>();
        try
        {
            receiver = await ReceiverInstance.StartAsync("receiver-fasthook", paths, runDirectory);
            var manifests = Path.Combine(runDirectory, $"manifests-{connections}");
            WriteManifests(manifests, receiver.BaseUrl, connections, paused);

            var ingestPorts = new List<int>();
            var managementPorts = new List<int>();
            for (var i = 0; i < gatewayCount; i++)
            {
                var ingestPort = Ports.Free();
                var managementPort = Ports.Free();
                var gateway = ManagedProcess.Start($"gateway-{i + 1}", paths.Gateway, [
                    "gateway", "--manifests", manifests, "--redis", redis.Url,
                    "--urls", $"http://127.0.0.1:{ingestPort}", "--management-urls", $"http://127.0.0.1:{managementPort}",
                    "--log-level", "Warning",
                ], runDirectory, environment);
                gateways.Add(gateway);
                await Readiness.WaitForHttpAsync($"http://127.0.0.1:{managementPort}/readyz", gateway, TimeSpan.FromSeconds(60), runDirectory);
                ingestPorts.Add(ingestPort);
                managementPorts.Add(managementPort);
            }

            return new GatewaySystem(redis, receiver, gateways, ingestPorts, managementPorts, connections);
        }
        catch
        {
            foreach (var gateway in gateways)
            {
                gateway.Dispose();
            }

            receiver?.Dispose();
            redis.Dispose();
            throw;
        }
    }

    public override async Task<long> AcceptedAsync()
    {
        long total = 0;
        foreach (var port in _managementPorts)
        {
            total += (long)await MetricAsync(port, "fasthook_requests_received_total", "outcome=\"accepted\"");
        }

        return total;
    }

    /// <summary>Sums the samples of <paramref name="name"/> on every gateway whose labels contain <paramref name="labelFilter"/>.</summary>
    public async Task<double> MetricSumAsync(string name, string labelFilter = "")
    {
        double total = 0;
        foreach (var port in _managementPorts)
        {
            total += await MetricAsync(port, name, labelFilter);
        }

        return total;
    }

    /// <summary>The management URL of the first gateway, for dotnet-counters and dotnet-trace runs by hand.</summary>
    public string ManagementUrl => $"http://127.0.0.1:{_managementPorts[0]}";

    public override void Dispose()
    {
        foreach (var gateway in _gateways)
        {
            gateway.Dispose();
        }

        _receiver.Dispose();
        _redis.Dispose();
    }

    private static async Task<double> MetricAsync(int managementPort, string name, string labelFilter)
    {
        var text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{managementPort}/metrics"));
        double total = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length || line[name.Length] is not ('{' or ' '))
            {
                continue;
            }

            if (labelFilter.Length > 0 && !line.Contains(labelFilter, StringComparison.Ordinal))
            {
                continue;
            }

            var value = line[(line.LastIndexOf(' ') + 1)..];
            total += double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return total;
    }

    /// <summary>
    /// Writes the source, its secret, and one destination and connection per fan-out. Retries are fast (1s to 5s,
    /// up to 100 attempts) so that the recovery measurement shows the gateway's drain rate, not a long backoff.
    /// </summary>
    private static void WriteManifests(string directory, string receiverUrl, int connections, bool paused)
    {
        Directory.CreateDirectory(directory);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $$"""
            apiVersion: v1
            kind: Secret
            metadata: {name: github-webhook, namespace: bench}
            stringData: {secret: {{Secret}} }
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: receiver-signing, namespace: bench}
            stringData: {secret: {{SigningSecret}} }
            ---
            apiVersion: fasthook.io/v1alpha1
            kind: WebhookSource
            metadata: {name: github, namespace: bench}
            spec:
              path: /e/bench/github
              allowedMethods: [POST]
              maxBodyBytes: 1048576
              verification:
                provider: github
                secretRef: {name: github-webhook, key: secret}
              response: {statusCode: 200, contentType: application/json, body: '{"ok":true}'}

            """);
        for (var i = 1; i <= connections; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $$"""
                ---
                apiVersion: fasthook.io/v1alpha1
                kind: Destination
                metadata: {name: receiver-{{i}}, namespace: bench}
                spec:
                  url: {{receiverUrl}}/d/{{i}}
                  method: POST
                  timeout: 10s
                  maxConcurrency: {{DeliveryConcurrency}}
                  signing:
                    secretRef: {name: receiver-signing, key: secret}
                ---
                apiVersion: fasthook.io/v1alpha1
                kind: Connection
                metadata: {name: github-to-receiver-{{i}}, namespace: bench}
                spec:
                  sourceRef: {name: github}
                  destinationRef: {name: receiver-{{i}} }
                  paused: {{(paused ? "true" : "false")}}
                  retry:
                    strategy: exponential
                    maxAttempts: 100
                    initialDelay: 1s
                    maxDelay: 5s
                    retryOn: [serverError, tooManyRequests, requestTimeout, timeout, network]

                """);
        }

        File.WriteAllText(Path.Combine(directory, "bench.yaml"), text.ToString());
    }
}
