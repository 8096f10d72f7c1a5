using System.Net.Http.Headers;
using System.Text;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Hosting;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.KubeEmulator;
using Microsoft.Extensions.Logging;

namespace FastHook.Operator.Tests.Infrastructure;

/// <summary>
/// A gateway in the test process configured the way the operator's Deployment configures it: routes from the
/// operator's ConfigMap and Secret through the API (here the emulator), and a real redis-server.
/// </summary>
public sealed class ApiGateway : IAsyncDisposable
{
    private ApiGateway(GatewayHost host)
    {
        Host = host;
        Ingest = new HttpClient { BaseAddress = new Uri(host.IngestUrls[0]) };
    }

    public GatewayHost Host { get; }

    public HttpClient Ingest { get; }

    public static Task<ApiGateway> StartAsync(KubeApiEmulator api, RedisServer redis, string keyPrefix) =>
        StartAsync(api, redis, keyPrefix, $"{OperatorFixture.GatewayNamespace}/fasthook-gateway-routes,{OperatorFixture.GatewayNamespace}/fasthook-gateway-secrets");

    /// <summary>
    /// Starts a gateway that reads <paramref name="configFromApi"/> ("NS/CONFIGMAP,NS/SECRET"). With
    /// <paramref name="userAgent"/>, its client sends that User-Agent, so the emulator's request log
    /// separates its calls from the others.
    /// </summary>
    public static async Task<ApiGateway> StartAsync(KubeApiEmulator api, RedisServer redis, string keyPrefix, string configFromApi, string? userAgent = null)
    {
        var options = GatewayHarness.TestOptions(redis, Path.GetTempPath(), keyPrefix);
        options.ManifestPaths = [];
        options.ConfigFromApi = ApiConfigLocation.Parse(configFromApi);
        options.KubernetesConfiguration = api.CreateClientConfiguration();
        if (userAgent is not null)
        {
            options.KubernetesConfiguration.UserAgent = userAgent;
        }

        var host = await GatewayHost.StartAsync(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        return new ApiGateway(host);
    }

    public Task<HttpResponseMessage> PostGitHubAsync(string path, string body, string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.Add("X-Hub-Signature-256", GatewayHarness.GitHubSignature(secret, bytes));
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        return Ingest.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Ingest.Dispose();
        await Host.DisposeAsync();
    }
}
