using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Hosting;
using Microsoft.Extensions.Logging;

namespace FastHook.Gateway.Tests.Infrastructure;

/// <summary>
/// A gateway started in the test process from manifests written to a temporary folder, with timings shortened
/// so retries and reclaims happen within a test, and a key prefix of its own so tests can share a Redis server.
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private GatewayHarness(GatewayHost host, string manifestFolder, GatewayOptions options)
    {
        Host = host;
        ManifestFolder = manifestFolder;
        Options = options;
        Ingest = new HttpClient { BaseAddress = new Uri(host.IngestUrls[0]) };
        Admin = new HttpClient { BaseAddress = new Uri(host.ManagementUrls[0]) };
    }

    public GatewayHost Host { get; }

    public string ManifestFolder { get; }

    public GatewayOptions Options { get; }

    public HttpClient Ingest { get; }

    public HttpClient Admin { get; }

    /// <summary>Options for a test gateway; <paramref name="keyPrefix"/> lets several gateways share one data set.</summary>
    public static GatewayOptions TestOptions(RedisServer redis, string manifestFolder, string keyPrefix) => new()
    {
        ManifestPaths = [manifestFolder],
        RedisUrl = redis.Url,
        Urls = "http://127.0.0.1:0",
        ManagementUrls = "http://127.0.0.1:0",
        KeyPrefix = keyPrefix,
        IngestTimeout = TimeSpan.FromSeconds(2),
        VisibilityTimeout = TimeSpan.FromSeconds(2),
        IdlePollInterval = TimeSpan.FromMilliseconds(200),
        ReloadInterval = TimeSpan.FromMilliseconds(200),
        RetentionInterval = TimeSpan.FromHours(1),
        ShutdownTimeout = TimeSpan.FromSeconds(2),
    };

    public static string NewKeyPrefix() => "t" + Guid.NewGuid().ToString("N")[..8];

    public static string WriteManifests(string yaml)
    {
        var folder = Path.Combine(Path.GetTempPath(), "fasthook-manifests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "manifests.yaml"), yaml);
        return folder;
    }

    public static async Task<GatewayHarness> StartAsync(RedisServer redis, string yaml, Action<GatewayOptions>? configure = null, string? keyPrefix = null)
    {
        var folder = WriteManifests(yaml);
        var options = TestOptions(redis, folder, keyPrefix ?? NewKeyPrefix());
        configure?.Invoke(options);
        var host = await GatewayHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        return new GatewayHarness(host, folder, options);
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="path"/> signed the way GitHub signs, with <paramref name="secret"/>.</summary>
    public Task<HttpResponseMessage> PostGitHubAsync(string path, string body, string secret, string contentType = "application/json")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Hub-Signature-256", GitHubSignature(secret, bytes));
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        return Ingest.SendAsync(request);
    }

    public static string GitHubSignature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public async ValueTask DisposeAsync()
    {
        Ingest.Dispose();
        Admin.Dispose();
        await Host.DisposeAsync();
        try
        {
            Directory.Delete(ManifestFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
