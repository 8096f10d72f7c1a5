using System.Net;
using FastHook.Api.Manifests;
using FastHook.Api.V1Alpha1;
using FastHook.KubeEmulator;
using FastHook.Operator.Hosting;
using FastHook.Operator.Resources;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastHook.Operator.Tests.Infrastructure;

/// <summary>
/// An API emulator with the FastHook CRDs and a gateway namespace, and operators started against it with
/// timings shortened for tests.
/// </summary>
public sealed class OperatorFixture : IAsyncDisposable
{
    public const string GatewayNamespace = "fasthook-system";

    private readonly List<OperatorHost> _operators = [];
    private readonly List<Kubernetes> _clients = [];
    private readonly ILoggerFactory _loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Warning));

    private OperatorFixture(KubeApiEmulator api)
    {
        Api = api;
    }

    public KubeApiEmulator Api { get; }

    public IKubernetes Client => Api.Client;

    public static async Task<OperatorFixture> StartAsync()
    {
        var api = await KubeApiEmulator.StartAsync(new KubeApiEmulatorOptions { WatchHistorySize = 200, BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        await FastHookCrds.InstallAsync(api.Client);
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = GatewayNamespace } });
        return new OperatorFixture(api);
    }

    public static OperatorOptions TestOptions(string? redisUrl = null, string keyPrefix = "fh") => new()
    {
        GatewayNamespace = GatewayNamespace,
        MetricsUrls = "http://127.0.0.1:0",
        RedisUrl = redisUrl,
        Gateway = new GatewayObjects.GatewaySettings { KeyPrefix = keyPrefix },
        CounterInterval = TimeSpan.FromMilliseconds(500),
        ReplayPollInterval = TimeSpan.FromMilliseconds(300),
        LeaseDuration = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
        BaseBackoff = TimeSpan.FromMilliseconds(50),
        MaxBackoff = TimeSpan.FromSeconds(2),
        Informers = new FastHook.Operator.Controllers.InformerOptions { WatchTimeout = TimeSpan.FromSeconds(30), StallTimeout = TimeSpan.FromSeconds(5), RetryDelay = TimeSpan.FromMilliseconds(100) },
    };

    /// <summary>
    /// Starts an operator and waits until its caches are filled. With <paramref name="userAgent"/>, the operator gets
    /// its own client that sends that User-Agent, so the emulator's request log separates its calls from the
    /// test's.
    /// </summary>
    public async Task<OperatorHost> StartOperatorAsync(OperatorOptions? options = null, string? userAgent = null)
    {
        IKubernetes client = Client;
        if (userAgent is not null)
        {
            var configuration = Api.CreateClientConfiguration();
            configuration.UserAgent = userAgent;
            var own = new Kubernetes(configuration);
            _clients.Add(own);
            client = own;
        }

        var host = await OperatorHost.StartAsync(options ?? TestOptions(), client, _loggers);
        _operators.Add(host);
        await host.WaitForSyncAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return host;
    }

    /// <summary>Creates every resource and Secret in the manifests under <paramref name="paths"/>, in namespace default.</summary>
    public async Task ApplyManifestsAsync(params string[] paths)
    {
        var errors = new List<ManifestError>();
        var set = ManifestLoader.Load(paths, errors);
        Assert.Empty(errors);
        foreach (var (qualified, data) in set.Secrets)
        {
            var separator = qualified.IndexOf('/', StringComparison.Ordinal);
            await Client.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = new V1ObjectMeta { Name = qualified[(separator + 1)..] }, Data = data },
                qualified[..separator]);
        }

        foreach (var source in set.Sources)
        {
            await CreateAsync(source);
        }

        foreach (var destination in set.Destinations)
        {
            await CreateAsync(destination);
        }

        foreach (var connection in set.Connections)
        {
            await CreateAsync(connection);
        }
    }

    public Task<T> CreateAsync<T>(T resource)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var ns = string.IsNullOrEmpty(resource.Metadata.NamespaceProperty) ? "default" : resource.Metadata.NamespaceProperty;
        resource.Metadata.NamespaceProperty = ns;
        return Client.CustomObjects.CreateNamespacedCustomObjectAsync<T>(resource, ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Of(resource.Kind).Plural);
    }

    public Task<T> GetAsync<T>(string kind, string name, string ns = "default") =>
        Client.CustomObjects.GetNamespacedCustomObjectAsync<T>(ApiGroup.Group, ApiGroup.Version, ns, CustomResourceKind.Of(kind).Plural, name);

    public Task<T> ReplaceAsync<T>(T resource)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Client.CustomObjects.ReplaceNamespacedCustomObjectAsync<T>(resource, ApiGroup.Group, ApiGroup.Version, resource.Metadata.NamespaceProperty, CustomResourceKind.Of(resource.Kind).Plural, resource.Metadata.Name);

    /// <summary>Reads a resource, changes it and writes it back, retrying on 409.</summary>
    public async Task<T> UpdateAsync<T>(string kind, string name, Action<T> change)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await GetAsync<T>(kind, name);
            change(current);
            try
            {
                return await ReplaceAsync(current);
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
            }
        }
    }

    public static ResourceCondition? Condition(ResourceStatus status, string type) => status.Conditions.FirstOrDefault(condition => condition.Type == type);

    public static bool IsReady(ResourceStatus status) => Condition(status, "Ready")?.Status == "True";

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _operators)
        {
            await host.DisposeAsync();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Api.DisposeAsync();
        _loggers.Dispose();
    }

    /// <summary>Stops one operator and removes it from the fixture, as a crash or a rollout would.</summary>
    public async Task StopOperatorAsync(OperatorHost host)
    {
        _operators.Remove(host);
        await host.DisposeAsync();
    }
}
