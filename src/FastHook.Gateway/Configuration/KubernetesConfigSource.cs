using System.Net;
using System.Text;
using FastHook.Api.Manifests;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastHook.Gateway.Configuration;

/// <summary>
/// Loads the gateway's routes from a ConfigMap (resources as YAML documents under <see cref="RoutesKey"/>) and
/// a Secret (<c>kind: Secret</c> documents under <see cref="SecretsKey"/>) that the operator writes, and reloads
/// them within seconds of a change by watching both through the API. A mounted volume would need no API access,
/// but the kubelet refreshes it only after a minute or more.
/// </summary>
public sealed partial class KubernetesConfigSource(IKubernetes client, ApiConfigLocation location, RouteTableProvider routes, GatewayOptions options, ILogger<KubernetesConfigSource> logger)
{
    public const string RoutesKey = "routes.yaml";
    public const string SecretsKey = "secrets.yaml";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    private readonly object _lock = new();
    private readonly int _watchTimeoutSeconds = WatchTimeoutSeconds(options);
    private readonly TimeSpan _stallTimeout = StallTimeout(options);
    private string _routes = "";
    private string _secrets = "";
    private string _applied = "";
    private int _relists;
    private int _stalls;

    /// <summary>Lists done after the first one of each object, because a watch got 410 Gone.</summary>
    public int Relists => Volatile.Read(ref _relists);

    /// <summary>Watches dropped because they sent nothing within the stall deadline.</summary>
    public int Stalls => Volatile.Read(ref _stalls);

    /// <summary>
    /// Finds the API server: <paramref name="kubeconfig"/> when given, else the in-cluster service account, else
    /// the first file of <c>$KUBECONFIG</c> that exists, else <c>~/.kube/config</c>.
    /// </summary>
    public static KubernetesClientConfiguration ClientConfiguration(string? kubeconfig)
    {
        if (kubeconfig is not null)
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var fromEnvironment = (Environment.GetEnvironmentVariable("KUBECONFIG") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(File.Exists);
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(fromEnvironment);
    }

    /// <summary>Reads both objects once and applies them. A missing object counts as empty until it appears.</summary>
    public async Task LoadInitialAsync(CancellationToken cancellationToken)
    {
        var configMap = await ReadOrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(location.ConfigMapName, location.ConfigMapNamespace, cancellationToken: cancellationToken));
        var secret = await ReadOrNullAsync(() => client.CoreV1.ReadNamespacedSecretAsync(location.SecretName, location.SecretNamespace, cancellationToken: cancellationToken));
        lock (_lock)
        {
            _routes = RoutesOf(configMap);
            _secrets = SecretsOf(secret);
        }

        if (configMap is null || secret is null)
        {
            Log.Missing(logger, $"{location.ConfigMapNamespace}/{location.ConfigMapName}", $"{location.SecretNamespace}/{location.SecretName}");
        }

        Apply(initial: true);
    }

    /// <summary>Watches both objects until <paramref name="stopping"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stopping) => Task.WhenAll(
        WatchLoopAsync(
            $"ConfigMap {location.ConfigMapNamespace}/{location.ConfigMapName}",
            (resourceVersion, ct) => client.CoreV1.ListNamespacedConfigMapAsync(location.ConfigMapNamespace, fieldSelector: "metadata.name=" + location.ConfigMapName, cancellationToken: ct)
                .ContinueWith(task => (task.Result.Items.FirstOrDefault() is { } item ? (object)item : null, task.Result.Metadata.ResourceVersion), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default),
            (resourceVersion, onError, ct) => Untyped(client.CoreV1.WatchListNamespacedConfigMapAsync(
                location.ConfigMapNamespace, fieldSelector: "metadata.name=" + location.ConfigMapName, allowWatchBookmarks: true,
                resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError, cancellationToken: ct)),
            item => SetRoutes(RoutesOf(item as V1ConfigMap)),
            stopping),
        WatchLoopAsync(
            $"Secret {location.SecretNamespace}/{location.SecretName}",
            (resourceVersion, ct) => client.CoreV1.ListNamespacedSecretAsync(location.SecretNamespace, fieldSelector: "metadata.name=" + location.SecretName, cancellationToken: ct)
                .ContinueWith(task => (task.Result.Items.FirstOrDefault() is { } item ? (object)item : null, task.Result.Metadata.ResourceVersion), ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default),
            (resourceVersion, onError, ct) => Untyped(client.CoreV1.WatchListNamespacedSecretAsync(
                location.SecretNamespace, fieldSelector: "metadata.name=" + location.SecretName, allowWatchBookmarks: true,
                resourceVersion: resourceVersion, timeoutSeconds: _watchTimeoutSeconds, onError: onError, cancellationToken: ct)),
            item => SetSecrets(SecretsOf(item as V1Secret)),
            stopping));

    /// <summary>
    /// Lists the object, then watches it from the list's resourceVersion. A watch that the server ends or that
    /// stays silent past the stall deadline is resumed from the last resourceVersion, and 410 Gone lists again.
    /// A relist applies the object as it is now, and an unchanged object is not applied twice (see <see cref="Apply"/>).
    /// </summary>
    private async Task WatchLoopAsync(
        string description,
        Func<string?, CancellationToken, Task<(object? Item, string ResourceVersion)>> list,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType Type, IKubernetesObject<V1ObjectMeta> Item)>> watch,
        Action<object?> update,
        CancellationToken stopping)
    {
        string? resourceVersion = null;
        var listed = false;
        while (!stopping.IsCancellationRequested)
        {
            var opened = System.Diagnostics.Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            deadline.CancelAfter(_stallTimeout);
            try
            {
                if (resourceVersion is null)
                {
                    if (listed)
                    {
                        Interlocked.Increment(ref _relists);
                        Log.Relisting(logger, description);
                    }

                    var (item, listVersion) = await list(null, deadline.Token);
                    listed = true;
                    update(item);
                    resourceVersion = listVersion;
                }

                var expired = false;
                var events = watch(resourceVersion, error => expired |= error is KubernetesException { Status.Code: (int)HttpStatusCode.Gone }, deadline.Token);
                await foreach (var (type, item) in events.WithCancellation(deadline.Token))
                {
                    deadline.CancelAfter(_stallTimeout);
                    resourceVersion = item.Metadata?.ResourceVersion ?? resourceVersion;
                    if (type is WatchEventType.Added or WatchEventType.Modified)
                    {
                        update(item);
                    }
                    else if (type is WatchEventType.Deleted)
                    {
                        update(null);
                    }
                }

                if (expired)
                {
                    resourceVersion = null;
                }
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                Interlocked.Increment(ref _stalls);
                Log.Stalled(logger, description, _stallTimeout.TotalSeconds);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException exception)
            {
                // KubernetesClient reads a watch's first line before it returns, so a watch that ends quietly lands
                // here too. One that fails at once means the API server is unreachable: wait before trying again.
                if (opened.Elapsed < TimeSpan.FromSeconds(1))
                {
                    Log.WatchFailed(logger, description, RetryDelay.TotalSeconds, exception);
                    if (!await DelayAsync(stopping))
                    {
                        return;
                    }
                }
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Gone)
            {
                resourceVersion = null;
            }
            catch (KubernetesException exception) when (exception.Status?.Code == (int)HttpStatusCode.Gone)
            {
                resourceVersion = null;
            }
            catch (Exception exception) when (exception is HttpOperationException or KubernetesException or IOException)
            {
                Log.WatchFailed(logger, description, RetryDelay.TotalSeconds, exception);
                if (!await DelayAsync(stopping))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits before a retry and returns false when stopping.</summary>
    private static async Task<bool> DelayAsync(CancellationToken stopping)
    {
        try
        {
            await Task.Delay(RetryDelay, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Returns <see cref="GatewayOptions.ApiWatchTimeout"/> in seconds, or raises <see cref="InvalidOperationException"/> when it is not whole seconds.</summary>
    private static int WatchTimeoutSeconds(GatewayOptions options)
    {
        if (options.ApiWatchTimeout < TimeSpan.FromSeconds(1) || options.ApiWatchTimeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new InvalidOperationException($"--api-watch-timeout {options.ApiWatchTimeout.TotalSeconds} s is invalid: the API server takes whole seconds, so use 1s or more, such as 60s.");
        }

        return (int)options.ApiWatchTimeout.TotalSeconds;
    }

    /// <summary>
    /// Returns <see cref="GatewayOptions.ApiStallTimeout"/>, or raises <see cref="InvalidOperationException"/> when it is not
    /// longer than the watch timeout. A shorter one would drop healthy watches of an unchanged object whenever the
    /// server sends no bookmark within it.
    /// </summary>
    private static TimeSpan StallTimeout(GatewayOptions options)
    {
        if (options.ApiStallTimeout <= options.ApiWatchTimeout)
        {
            throw new InvalidOperationException(
                $"--api-stall-timeout ({options.ApiStallTimeout.TotalSeconds} s) must be longer than --api-watch-timeout ({options.ApiWatchTimeout.TotalSeconds} s): raise it, for example to 1.5 times the watch timeout.");
        }

        return options.ApiStallTimeout;
    }

    private void SetRoutes(string routes)
    {
        lock (_lock)
        {
            _routes = routes;
        }

        Apply(initial: false);
    }

    private void SetSecrets(string secrets)
    {
        lock (_lock)
        {
            _secrets = secrets;
        }

        Apply(initial: false);
    }

    /// <summary>Builds a route table from the current texts; a set with errors is logged and the previous table stays.</summary>
    private void Apply(bool initial)
    {
        string routesText;
        string secretsText;
        lock (_lock)
        {
            routesText = _routes;
            secretsText = _secrets;
            if (!initial && routesText + "\0" + secretsText == _applied)
            {
                return;
            }

            _applied = routesText + "\0" + secretsText;
        }

        var errors = new List<ManifestError>();
        var set = new ManifestSet();
        ManifestLoader.LoadText(set, $"ConfigMap {location.ConfigMapNamespace}/{location.ConfigMapName}", routesText, errors);
        ManifestLoader.LoadText(set, $"Secret {location.SecretNamespace}/{location.SecretName}", secretsText, errors);
        routes.Apply(set, errors, initial);
    }

    private static string RoutesOf(V1ConfigMap? configMap) =>
        configMap?.Data?.TryGetValue(RoutesKey, out var text) == true ? text : "";

    private static string SecretsOf(V1Secret? secret) =>
        secret?.Data?.TryGetValue(SecretsKey, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : "";

    private static async Task<T?> ReadOrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Untyped<T>(IAsyncEnumerable<(WatchEventType, T)> events)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, item) in events)
        {
            yield return (type, item);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(41, LogLevel.Warning, "ConfigMap {ConfigMap} or Secret {Secret} does not exist yet; serving no routes until the operator writes them")]
        public static partial void Missing(ILogger logger, string configMap, string secret);

        [LoggerMessage(42, LogLevel.Warning, "Watch of {Object} sent nothing for {Seconds} s (--api-stall-timeout); reconnecting")]
        public static partial void Stalled(ILogger logger, string @object, double seconds);

        [LoggerMessage(43, LogLevel.Warning, "Watch of {Object} failed; retrying in {Seconds} s")]
        public static partial void WatchFailed(ILogger logger, string @object, double seconds, Exception exception);

        [LoggerMessage(44, LogLevel.Information, "Watch of {Object} expired (410 Gone); listing it again")]
        public static partial void Relisting(ILogger logger, string @object);
    }
}

/// <summary>
/// The ConfigMap and Secret the gateway reads its routes from, parsed from "NS/CONFIGMAP,NS/SECRET".
/// </summary>
public sealed record ApiConfigLocation(string ConfigMapNamespace, string ConfigMapName, string SecretNamespace, string SecretName)
{
    public static ApiConfigLocation Parse(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries);
        var configMap = parts.Length == 2 ? parts[0].Split('/') : [];
        var secret = parts.Length == 2 ? parts[1].Split('/') : [];
        if (configMap.Length != 2 || secret.Length != 2 || configMap.Concat(secret).Any(string.IsNullOrEmpty))
        {
            throw new FormatException($"--config-from-api \"{value}\" is invalid: use NAMESPACE/CONFIGMAP,NAMESPACE/SECRET, for example fasthook-system/fasthook-gateway-routes,fasthook-system/fasthook-gateway-secrets");
        }

        return new ApiConfigLocation(configMap[0], configMap[1], secret[0], secret[1]);
    }
}
