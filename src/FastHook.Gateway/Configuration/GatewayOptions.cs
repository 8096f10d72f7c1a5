namespace FastHook.Gateway.Configuration;

/// <summary>
/// Settings of one gateway process, from its command line.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>Manifest files and folders to load and watch.</summary>
    public IReadOnlyList<string> ManifestPaths { get; set; } = [];

    /// <summary>The ConfigMap and Secret to load routes from through the Kubernetes API instead of files.</summary>
    public ApiConfigLocation? ConfigFromApi { get; set; }

    /// <summary>How to reach the Kubernetes API for <see cref="ConfigFromApi"/>; in-cluster or the kubeconfig when null.</summary>
    public k8s.KubernetesClientConfiguration? KubernetesConfiguration { get; set; }

    /// <summary>
    /// The timeoutSeconds sent with each watch of <see cref="ConfigFromApi"/>: the API server ends the watch after
    /// it, and the gateway resumes it. Whole seconds.
    /// </summary>
    public TimeSpan ApiWatchTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a watch of <see cref="ConfigFromApi"/> may send nothing, bookmarks included, before the gateway
    /// drops it and watches again. It catches connections that stall without closing, and must be longer than
    /// <see cref="ApiWatchTimeout"/>.
    /// </summary>
    public TimeSpan ApiStallTimeout { get; set; } = TimeSpan.FromSeconds(90);

    public string RedisUrl { get; set; } = "redis://127.0.0.1:6379";

    /// <summary>Ingest listen URLs, separated by ';'.</summary>
    public string Urls { get; set; } = "http://0.0.0.0:8080";

    /// <summary>Management (metrics, health, admin API) listen URLs, separated by ';'.</summary>
    public string ManagementUrls { get; set; } = "http://127.0.0.1:9090";

    /// <summary>The bearer token the admin API requires; required when management listens beyond loopback.</summary>
    public string? AdminToken { get; set; }

    /// <summary>The first part of every Redis key.</summary>
    public string KeyPrefix { get; set; } = "fh";

    /// <summary>This process's consumer name in the consumer groups; unique per process when unset.</summary>
    public string? ConsumerName { get; set; }

    /// <summary>How long an ingest may wait for Redis before the provider gets 503.</summary>
    public TimeSpan IngestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an event or a request being routed may stay with a consumer before another process reclaims it.
    /// For events it must exceed the destination timeout; the gateway raises it to twice that timeout when it is shorter.
    /// </summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest an idle worker waits before it polls Redis again without a wake-up message.</summary>
    public TimeSpan IdlePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a consumer with nothing pending may stay idle before retention removes it from its group.</summary>
    public TimeSpan IdleConsumerLimit { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often manifest files are checked for changes.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long shutdown waits for in-flight deliveries before it releases them for another process.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests read by one router call and events read by one delivery read, at most.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Attempts kept per event; older ones are dropped from the record.</summary>
    public int MaxAttemptRecords { get; set; } = 50;

    /// <summary>Bytes of a destination's response body kept in an attempt record.</summary>
    public int ResponseExcerptBytes { get; set; } = 1024;
}
