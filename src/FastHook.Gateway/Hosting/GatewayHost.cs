using System.Text.Encodings.Web;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Delivery;
using FastHook.Gateway.Ingest;
using FastHook.Gateway.Management;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Replay;
using FastHook.Gateway.Retention;
using FastHook.Gateway.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Hosting;

/// <summary>
/// One running gateway process: the ingest server, the management server and the background workers.
/// </summary>
public sealed partial class GatewayHost : IAsyncDisposable
{
    private readonly GatewayOptions _options;
    private readonly ConnectionMultiplexer _redis;
    private readonly WebApplication _ingest;
    private readonly WebApplication _management;
    private readonly WorkerSupervisor _supervisor;
    private readonly ReplayWorker _replayWorker;
    private readonly RetentionWorker _retention;
    private readonly BacklogSampler _sampler;
    private readonly RouteTableProvider _routes;
    private readonly WakeSignals _wake;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _background = new();
    private readonly List<Task> _backgroundTasks = [];
    private readonly ILogger _logger;
    private ILoggerFactory? _loggers;
    private KubernetesConfigSource? _configSource;
    private k8s.Kubernetes? _kubernetes;
    private int _stopped;

    private GatewayHost(
        GatewayOptions options,
        ConnectionMultiplexer redis,
        WebApplication ingest,
        WebApplication management,
        WorkerSupervisor supervisor,
        ReplayWorker replayWorker,
        RetentionWorker retention,
        BacklogSampler sampler,
        RouteTableProvider routes,
        WakeSignals wake,
        HttpClient http,
        GatewayServices services,
        ILogger logger)
    {
        _options = options;
        _redis = redis;
        _ingest = ingest;
        _management = management;
        _supervisor = supervisor;
        _replayWorker = replayWorker;
        _retention = retention;
        _sampler = sampler;
        _routes = routes;
        _wake = wake;
        _http = http;
        Services = services;
        _logger = logger;
    }

    public GatewayServices Services { get; }

    /// <summary>The retention worker, so tests and tools can run a pass now.</summary>
    public RetentionWorker Retention => _retention;

    /// <summary>The addresses the ingest server listens on, with actual ports when port 0 was requested.</summary>
    public IReadOnlyList<string> IngestUrls => Addresses(_ingest);

    public IReadOnlyList<string> ManagementUrls => Addresses(_management);

    /// <summary>The consumer name of this process in the consumer groups.</summary>
    public string ConsumerName { get; private set; } = "";

    /// <summary>
    /// Validates the options and manifests, connects to Redis and starts serving. Throws
    /// <see cref="FastHook.Api.Manifests.ManifestException"/> for manifest problems,
    /// <see cref="InvalidOperationException"/> for invalid options, and <see cref="k8s.Autorest.HttpOperationException"/>
    /// when the API server rejects reading the routes of <see cref="GatewayOptions.ConfigFromApi"/>.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(GatewayOptions options, Action<ILoggingBuilder>? configureLogging = null, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        if (options.AdminToken is null && !AdminAuthentication.IsLoopbackOnly(options.ManagementUrls))
        {
            throw new InvalidOperationException($"The management server listens beyond loopback ({options.ManagementUrls}) without an admin token: pass --admin-token-file, or bind --management-urls to 127.0.0.1.");
        }

        var redisOptions = RedisUrl.Parse(options.RedisUrl);
        redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
        redisOptions.AsyncTimeout = (int)Math.Max(1000, options.IngestTimeout.TotalMilliseconds);

        var loggers = LoggerFactory.Create(logging => ConfigureLogging(logging, configureLogging));
        var logger = loggers.CreateLogger<GatewayHost>();

        var keys = new RedisKeys(options.KeyPrefix);
        var routes = new RouteTableProvider(options, keys, clock, loggers.CreateLogger<RouteTableProvider>());
        KubernetesConfigSource? configSource = null;
        k8s.Kubernetes? kubernetes = null;
        if (options.ConfigFromApi is { } location)
        {
            var kubernetesConfiguration = options.KubernetesConfiguration ?? KubernetesConfigSource.ClientConfiguration(null);
            kubernetes = new k8s.Kubernetes(kubernetesConfiguration);
            configSource = new KubernetesConfigSource(kubernetes, location, routes, options, loggers.CreateLogger<KubernetesConfigSource>());
            await configSource.LoadInitialAsync(CancellationToken.None);
        }
        else
        {
            routes.LoadInitial();
        }

        Log.Connecting(logger, RedisUrl.Redact(options.RedisUrl));
        var redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        var consumer = options.ConsumerName ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";

        var metrics = new GatewayMetrics();
        var requests = new RequestStore(redis);
        var events = new EventStore(redis, keys);
        var replays = new ReplayStore(redis, keys);
        var wake = await WakeSignals.SubscribeAsync(redis, keys);
        var http = DeliveryClient.CreateHttpClient();
        var client = new DeliveryClient(http, clock, options.ResponseExcerptBytes);
        var circuitBreaker = new CircuitBreaker(redis, keys, metrics, loggers.CreateLogger<CircuitBreaker>());
        var rateLimiter = new DestinationRateLimiter(redis, keys);
        var processor = new DeliveryProcessor(requests, events, client, circuitBreaker, options, metrics, clock, loggers.CreateLogger<DeliveryProcessor>());
        var supervisor = new WorkerSupervisor(routes, events, processor, new DestinationLimiters(), rateLimiter, circuitBreaker, wake, options, consumer, metrics, clock, redis, loggers);
        var replayWorker = new ReplayWorker(routes, replays, options, consumer, metrics, clock, loggers.CreateLogger<ReplayWorker>());
        var retention = new RetentionWorker(routes, redis, options, metrics, clock, loggers.CreateLogger<RetentionWorker>());
        var sampler = new BacklogSampler(routes, events, metrics, clock);
        var services = new GatewayServices
        {
            Options = options,
            Routes = routes,
            Redis = redis,
            Requests = requests,
            Events = events,
            Replays = replays,
            ReplayWorker = replayWorker,
            Metrics = metrics,
            Clock = clock,
        };

        var ingest = CreateBuilder(options.Urls, configureLogging).Build();
        var handler = new IngestHandler(routes, requests, wake, options, metrics, clock, loggers.CreateLogger<IngestHandler>());
        ingest.Run(handler.HandleAsync);

        var managementBuilder = CreateBuilder(options.ManagementUrls, configureLogging);
        managementBuilder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        var management = managementBuilder.Build();
        HealthEndpoints.Map(management, services);
        AdminApi.Map(management, services);

        var host = new GatewayHost(options, redis, ingest, management, supervisor, replayWorker, retention, sampler, routes, wake, http, services, logger)
        {
            ConsumerName = consumer,
            _loggers = loggers,
            _configSource = configSource,
            _kubernetes = kubernetes,
        };
        await host.StartServingAsync();
        return host;
    }

    /// <summary>
    /// Stops taking requests and work, waits for in-flight deliveries up to the shutdown timeout, and disconnects.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        Log.Stopping(_logger);
        await _ingest.StopAsync();
        await _background.CancelAsync();
        await _supervisor.StopAsync();
        await Task.WhenAll(_backgroundTasks);
        await _management.StopAsync();
        Log.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _ingest.DisposeAsync();
        await _management.DisposeAsync();
        await _wake.DisposeAsync();
        await _redis.DisposeAsync();
        _supervisor.Dispose();
        _replayWorker.Dispose();
        _background.Dispose();
        _http.Dispose();
        _kubernetes?.Dispose();
        _loggers?.Dispose();
    }

    private async Task StartServingAsync()
    {
        var stopping = _background.Token;
        _supervisor.Reconcile();
        _routes.Changed += _ => _supervisor.Reconcile();

        _backgroundTasks.Add(Task.Run(() => _replayWorker.RunAsync(stopping)));
        _backgroundTasks.Add(Task.Run(() => _retention.RunAsync(stopping)));
        _backgroundTasks.Add(Task.Run(() => _sampler.RunAsync(stopping)));
        _backgroundTasks.Add(_configSource is { } configSource
            ? Task.Run(() => configSource.RunAsync(stopping))
            : Task.Run(() => ReloadLoopAsync(stopping)));

        await _management.StartAsync();
        await _ingest.StartAsync();
        Log.Started(_logger, string.Join(", ", IngestUrls), string.Join(", ", ManagementUrls), ConsumerName);
    }

    private async Task ReloadLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReloadInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                _routes.ReloadIfChanged();
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A reload must never stop the loop: later edits still have to be picked up.
                Log.ReloadFailed(_logger, exception);
            }
        }
    }

    private static WebApplicationBuilder CreateBuilder(string urls, Action<ILoggingBuilder>? configureLogging)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;

            // Each source sets its own limit per request; this removes Kestrel's 30 MB default above it.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        ConfigureLogging(builder.Logging, configureLogging);
        return builder;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, Action<ILoggingBuilder>? configure)
    {
        logging.ClearProviders();
        if (configure is not null)
        {
            configure(logging);
            return;
        }

        logging.AddSimpleConsole(console => console.SingleLine = true);
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    private static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    private static partial class Log
    {
        [LoggerMessage(800, LogLevel.Information, "Connecting to Redis at {RedisUrl}")]
        public static partial void Connecting(ILogger logger, string redisUrl);

        [LoggerMessage(801, LogLevel.Information, "Gateway started: ingest on {IngestUrls}, management on {ManagementUrls}, consumer {Consumer}")]
        public static partial void Started(ILogger logger, string ingestUrls, string managementUrls, string consumer);

        [LoggerMessage(802, LogLevel.Information, "Gateway stopping: no new requests, finishing in-flight deliveries")]
        public static partial void Stopping(ILogger logger);

        [LoggerMessage(803, LogLevel.Information, "Gateway stopped")]
        public static partial void Stopped(ILogger logger);

        [LoggerMessage(804, LogLevel.Error, "Reloading the manifests failed; the previous configuration stays in force and the next change is tried again")]
        public static partial void ReloadFailed(ILogger logger, Exception exception);
    }
}
