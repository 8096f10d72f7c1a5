using System.Diagnostics;
using System.Text;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.KubeEmulator;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastHook.Gateway.Tests.Configuration;

/// <summary>
/// The gateway's watch of the operator's ConfigMap and Secret, against the in-process API emulator.
/// </summary>
public sealed class KubernetesConfigSourceTests
{
    private const string Namespace = "fasthook-system";
    private const string ConfigMapName = "fasthook-gateway-routes";
    private const string SecretName = "fasthook-gateway-secrets";

    [Fact]
    public async Task ExpiredResume_RelistsAndAppliesOnce()
    {
        await using var api = await StartEmulatorAsync();
        await CreateObjectsAsync(api, version: 1);
        await using var watcher = await RouteWatcher.StartAsync(api, new GatewayOptions { ApiWatchTimeout = TimeSpan.FromSeconds(30), ApiStallTimeout = TimeSpan.FromSeconds(60) });
        await WaitForWatchesAsync(api);

        // The open watches miss version 2: they go silent, the history is forgotten, and then the server ends
        // them. Resuming from the last resourceVersion they saw gets 410 Gone.
        api.StallWatches();
        await UpdateRoutesAsync(api, version: 2);
        api.CompactHistory();
        api.CloseWatches();

        await Eventually.WaitAsync(() => Task.FromResult(watcher.Source.Relists), relists => relists == 2, TimeSpan.FromSeconds(15), "a relist of the ConfigMap and of the Secret");
        await Eventually.WaitAsync(() => Task.FromResult(watcher.DestinationUrl), url => url == UrlOf(2), TimeSpan.FromSeconds(15), "version 2 of the routes applied");

        // The watch opened after the relist delivers the next change.
        await UpdateRoutesAsync(api, version: 3);
        await Eventually.WaitAsync(() => Task.FromResult(watcher.DestinationUrl), url => url == UrlOf(3), TimeSpan.FromSeconds(15), "version 3 of the routes applied");
        await Task.Delay(500);

        Assert.Equal([UrlOf(2), UrlOf(3)], watcher.AppliedUrls);
        Assert.Equal(2, watcher.Source.Relists);
        Assert.Equal(0, watcher.Source.Stalls);
    }

    [Fact]
    public async Task StalledWatch_ReconnectsWithinDeadline()
    {
        var stallTimeout = TimeSpan.FromSeconds(2);
        await using var api = await StartEmulatorAsync();
        await CreateObjectsAsync(api, version: 1);
        await using var watcher = await RouteWatcher.StartAsync(api, new GatewayOptions { ApiWatchTimeout = TimeSpan.FromSeconds(1), ApiStallTimeout = stallTimeout });
        await WaitForWatchesAsync(api);

        // A stalled watch keeps its connection and sends nothing, past its timeoutSeconds too, so only the
        // gateway's own deadline ends it.
        api.StallWatches();
        var changed = Stopwatch.StartNew();
        await UpdateRoutesAsync(api, version: 2);
        await Eventually.WaitAsync(() => Task.FromResult(watcher.DestinationUrl), url => url == UrlOf(2), TimeSpan.FromSeconds(15), "version 2 of the routes applied");
        var elapsed = changed.Elapsed;

        Assert.True(watcher.Source.Stalls >= 1, $"{watcher.Source.Stalls} watches were dropped as stalled");
        Assert.True(elapsed < stallTimeout + TimeSpan.FromSeconds(2), $"the change took {elapsed.TotalSeconds:F1} s to apply with a {stallTimeout.TotalSeconds} s stall deadline");
        Assert.Equal([UrlOf(2)], watcher.AppliedUrls);
        Assert.Equal(0, watcher.Source.Relists);
    }

    [Theory]
    [InlineData(60, 60)]
    [InlineData(60, 30)]
    [InlineData(0.5, 90)]
    [InlineData(1.5, 90)]
    public void Constructor_RejectsInvalidDeadlines(double watchSeconds, double stallSeconds)
    {
        var options = new GatewayOptions { ApiWatchTimeout = TimeSpan.FromSeconds(watchSeconds), ApiStallTimeout = TimeSpan.FromSeconds(stallSeconds) };
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        var routes = new RouteTableProvider(options, new RedisKeys("fh"), TimeProvider.System, NullLogger<RouteTableProvider>.Instance);

        var exception = Assert.Throws<InvalidOperationException>(() => new KubernetesConfigSource(
            client, new ApiConfigLocation(Namespace, ConfigMapName, Namespace, SecretName), routes, options, NullLogger<KubernetesConfigSource>.Instance));

        Assert.Contains(watchSeconds is 0.5 or 1.5 ? "--api-watch-timeout" : "--api-stall-timeout", exception.Message, StringComparison.Ordinal);
    }

    private static string UrlOf(int version) => $"http://127.0.0.1:9/v{version}";

    private static Task<KubeApiEmulator> StartEmulatorAsync()
    {
        var options = new KubeApiEmulatorOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) };
        options.InitialNamespaces.Add(Namespace);
        return KubeApiEmulator.StartAsync(options);
    }

    private static string RoutesYaml(int version) => $$$"""
        apiVersion: fasthook.io/v1alpha1
        kind: WebhookSource
        metadata: {name: github, namespace: default}
        spec:
          verification:
            provider: github
            secretRef: {name: github-webhook, key: secret}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Destination
        metadata: {name: receiver, namespace: default}
        spec: {url: "{{{UrlOf(version)}}}"}
        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Connection
        metadata: {name: github-to-receiver, namespace: default}
        spec: {sourceRef: {name: github}, destinationRef: {name: receiver}}
        """;

    private static async Task CreateObjectsAsync(KubeApiEmulator api, int version)
    {
        const string secrets = """
            apiVersion: v1
            kind: Secret
            metadata: {name: github-webhook, namespace: default}
            stringData: {secret: config-source-test-secret}
            """;
        await api.Client.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = SecretName }, Data = new Dictionary<string, byte[]> { [KubernetesConfigSource.SecretsKey] = Encoding.UTF8.GetBytes(secrets) } },
            Namespace);
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = ConfigMapName }, Data = new Dictionary<string, string> { [KubernetesConfigSource.RoutesKey] = RoutesYaml(version) } },
            Namespace);
    }

    private static async Task UpdateRoutesAsync(KubeApiEmulator api, int version)
    {
        var configMap = await api.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapName, Namespace);
        configMap.Data[KubernetesConfigSource.RoutesKey] = RoutesYaml(version);
        await api.Client.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, ConfigMapName, Namespace);
    }

    private static Task WaitForWatchesAsync(KubeApiEmulator api) =>
        Eventually.WaitAsync(() => Task.FromResult(api.OpenWatchCount), count => count == 2, TimeSpan.FromSeconds(10), "the watches of the ConfigMap and the Secret");

    /// <summary>
    /// A <see cref="KubernetesConfigSource"/> running against the emulator, recording the destination URL of
    /// every route table it applies after the first.
    /// </summary>
    private sealed class RouteWatcher : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private readonly List<string> _applied = [];
        private readonly RouteTableProvider _routes;
        private Task _running = Task.CompletedTask;

        private RouteWatcher(KubernetesConfigSource source, RouteTableProvider routes)
        {
            Source = source;
            _routes = routes;
            routes.Changed += table =>
            {
                lock (_applied)
                {
                    _applied.Add(table.Destinations["default/receiver"].Url.ToString().TrimEnd('/'));
                }
            };
        }

        public KubernetesConfigSource Source { get; }

        public string? DestinationUrl => _routes.Current.Destinations.GetValueOrDefault("default/receiver")?.Url.ToString().TrimEnd('/');

        public IReadOnlyList<string> AppliedUrls
        {
            get
            {
                lock (_applied)
                {
                    return [.. _applied];
                }
            }
        }

        public static async Task<RouteWatcher> StartAsync(KubeApiEmulator api, GatewayOptions options)
        {
            var routes = new RouteTableProvider(options, new RedisKeys("fh"), TimeProvider.System, NullLogger<RouteTableProvider>.Instance);
            var source = new KubernetesConfigSource(
                api.Client, new ApiConfigLocation(Namespace, ConfigMapName, Namespace, SecretName), routes, options, NullLogger<KubernetesConfigSource>.Instance);
            await source.LoadInitialAsync(CancellationToken.None);
            var watcher = new RouteWatcher(source, routes);
            watcher._running = Task.Run(() => source.RunAsync(watcher._stopping.Token));
            return watcher;
        }

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            await _running;
            _stopping.Dispose();
        }
    }
}
