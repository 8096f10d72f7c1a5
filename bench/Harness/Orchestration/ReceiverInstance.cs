using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace FastHook.Bench.Orchestration;

/// <summary>
/// The benchmark receiver (bench/Receiver) running on its own port, and a client for its control endpoints.
/// </summary>
internal sealed class ReceiverInstance : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private ReceiverInstance(int port, ManagedProcess process)
    {
        Port = port;
        Process = process;
    }

    public int Port { get; }

    public ManagedProcess Process { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public static async Task<ReceiverInstance> StartAsync(string name, BenchPaths paths, string runDirectory)
    {
        var port = Ports.Free();
        var process = ManagedProcess.Start(name, paths.Receiver, ["--urls", $"http://127.0.0.1:{port}"], runDirectory);
        var receiver = new ReceiverInstance(port, process);
        await Readiness.WaitForHttpAsync(receiver.BaseUrl + "/_stats", process, TimeSpan.FromSeconds(30), runDirectory);
        return receiver;
    }

    public async Task<ReceiverStats> StatsAsync() =>
        await Http.GetFromJsonAsync<ReceiverStats>(new Uri(BaseUrl + "/_stats")) ?? throw new InvalidOperationException("The receiver returned empty stats.");

    public async Task ResetAsync()
    {
        using var response = await Http.PostAsync(new Uri(BaseUrl + "/_reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Makes the receiver respond to every delivery with <paramref name="status"/> from now on.</summary>
    public async Task AnswerWithAsync(int status)
    {
        using var response = await Http.PostAsync(new Uri(BaseUrl + "/_status?code=" + status.ToString(CultureInfo.InvariantCulture)), null);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => Process.Dispose();
}

/// <summary>
/// The receiver's /_stats. Counts and latencies cover the deliveries since the last reset, except the accepted
/// total and the distinct events, which count since the receiver started. Latencies are in milliseconds from the
/// send time the load generator wrote into the body.
/// </summary>
internal sealed class ReceiverStats
{
    [JsonPropertyName("received")]
    public long Received { get; init; }

    [JsonPropertyName("accepted")]
    public long Accepted { get; init; }

    [JsonPropertyName("acceptedTotal")]
    public long AcceptedTotal { get; init; }

    [JsonPropertyName("rejected")]
    public long Rejected { get; init; }

    [JsonPropertyName("distinctEvents")]
    public long DistinctEvents { get; init; }

    [JsonPropertyName("firstAcceptedMs")]
    public long FirstAcceptedMs { get; init; }

    [JsonPropertyName("lastAcceptedMs")]
    public long LastAcceptedMs { get; init; }

    [JsonPropertyName("latencyCount")]
    public long LatencyCount { get; init; }

    [JsonPropertyName("latencyP50Ms")]
    public double LatencyP50Ms { get; init; }

    [JsonPropertyName("latencyP90Ms")]
    public double LatencyP90Ms { get; init; }

    [JsonPropertyName("latencyP99Ms")]
    public double LatencyP99Ms { get; init; }

    [JsonPropertyName("latencyP999Ms")]
    public double LatencyP999Ms { get; init; }

    [JsonPropertyName("latencyMaxMs")]
    public double LatencyMaxMs { get; init; }
}
