using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Storage;
using FastHook.Operator.Controllers;
using FastHook.Operator.Events;
using FastHook.Operator.GatewayObjects;
using FastHook.Operator.Reconcilers;
using FastHook.Operator.Redis;
using FastHook.Operator.Resources;
using FastHook.Operator.Status;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Operator.Hosting;

/// <summary>
/// Runs the operator: informers that keep caches of the resources and Secrets, a work queue, one reconciler per
/// kind plus the gateway reconciler, leader election, and the health and metrics server.
/// </summary>
public sealed partial class OperatorHost : IAsyncDisposable
{
    private readonly OperatorOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly WorkQueue _queue;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _tasks = [];
    private readonly List<Informer<WebhookSource>> _sources = [];
    private readonly List<Informer<Destination>> _destinations = [];
    private readonly List<Informer<Connection>> _connections = [];
    private readonly List<Informer<V1Secret>> _secrets = [];
    private readonly Dictionary<string, IReconciler> _reconcilers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _reconcileCounts = new(StringComparer.Ordinal);
    private readonly object _workersLock = new();
    private readonly IKubernetes _client;
    private ConnectionMultiplexer? _redis;
    private HealthServer? _health;
    private EventRecorder? _events;
    private ResourceCache? _cache;
    private LeaderElector? _elector;
    private Term? _term;
    private readonly List<Term> _endedTerms = [];
    private int _runningWorkers;
    private int _peakRunningWorkers;

    private OperatorHost(OperatorOptions options, IKubernetes client, ILoggerFactory loggers)
    {
        _options = options;
        _client = client;
        _loggers = loggers;
        _logger = loggers.CreateLogger<OperatorHost>();
        _queue = new WorkQueue(options.BaseBackoff, options.MaxBackoff);

        // Read at each scrape, so the gauge is current also while no worker takes keys (a follower, or an idle leader).
        Metrics.Registry.AddBeforeCollectCallback(() => Metrics.QueueDepth.Set(_queue.Depth));
    }

    public OperatorMetrics Metrics { get; } = new();

    public StatusWriter? StatusWriter { get; private set; }

    public ObjectApplier? Applier { get; private set; }

    public GatewayObjectBuilder? Gateway { get; private set; }

    public bool IsLeader => Volatile.Read(ref _term) is not null;

    /// <summary>Worker loops running now, counted over every leadership term, for tests.</summary>
    internal int RunningWorkers => Volatile.Read(ref _runningWorkers);

    /// <summary>The most worker loops that ran at once since the start, for tests.</summary>
    internal int PeakRunningWorkers => Volatile.Read(ref _peakRunningWorkers);

    /// <summary>Runs at the start of every reconcile with its key, so tests can hold a reconcile in flight.</summary>
    internal Func<string, CancellationToken, Task>? BeforeReconcile { get; set; }

    /// <summary>The addresses the health and metrics server listens on.</summary>
    public IReadOnlyList<string> MetricsUrls => _health?.Urls ?? [];

    /// <summary>Watches relisted after a 410 Gone, summed over all informers.</summary>
    public int Relists => AllInformers().Sum(informer => informer.Relists);

    /// <summary>Reconciles run for one key ("Kind/namespace/name", or "gateway"), for tests.</summary>
    public int ReconcileCount(string key) => _reconcileCounts.GetValueOrDefault(key);

    public static string KeyOf(string kind, string ns, string name) => $"{kind}/{ns}/{name}";

    public static async Task<OperatorHost> StartAsync(OperatorOptions options, IKubernetes client, ILoggerFactory loggers, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var host = new OperatorHost(options, client, loggers);
        await host.StartCoreAsync(clock);
        return host;
    }

    private async Task StartCoreAsync(TimeProvider clock)
    {
        var namespaces = _options.Namespaces.Count == 0 ? [null] : _options.Namespaces.Select(ns => (string?)ns).ToList();
        foreach (var ns in namespaces)
        {
            _sources.Add(CreateInformer(InformerSources.Custom<WebhookSource>(_client, CustomResourceKind.Sources, ns), ResourceFingerprint));
            _destinations.Add(CreateInformer(InformerSources.Custom<Destination>(_client, CustomResourceKind.Destinations, ns), ResourceFingerprint));
            _connections.Add(CreateInformer(InformerSources.Custom<Connection>(_client, CustomResourceKind.Connections, ns), ResourceFingerprint));
            _secrets.Add(CreateInformer(InformerSources.Secrets(_client, ns), SecretFingerprint));
        }

        if (_options.RedisUrl is { Length: > 0 } redisUrl)
        {
            var redisOptions = RedisUrl.Parse(redisUrl);
            redisOptions.AbortOnConnectFail = false;
            Log.ConnectingRedis(_logger, RedisUrl.Redact(redisUrl));
            _redis = await ConnectionMultiplexer.ConnectAsync(redisOptions);
        }

        Gateway = new GatewayObjectBuilder(_options.Gateway, _options.GatewayNamespace);
        StatusWriter = new StatusWriter(_client, _loggers.CreateLogger<StatusWriter>());
        Applier = new ObjectApplier(_loggers.CreateLogger<ObjectApplier>());
        var context = new ReconcileContext
        {
            Client = _client,
            Cache = _cache = new ResourceCache(_sources, _destinations, _connections, _secrets),
            Status = StatusWriter,
            Events = _events = new EventRecorder(_client, clock, _loggers.CreateLogger<EventRecorder>()),
            Gateway = Gateway,
            Metrics = Metrics,
            Options = _options,
            Clock = clock,
            Applied = new AppliedRoutes(),
            Data = _redis is null ? null : new ConnectionData(_redis, new RedisKeys(_options.Gateway.KeyPrefix)),
        };
        var gateway = new GatewayReconciler(context, Applier);
        gateway.RoutesChanged += changed =>
        {
            // "Kind namespace/name" becomes the queue key "Kind/namespace/name".
            foreach (var described in changed)
            {
                _queue.Add(described.Replace(' ', '/'));
            }
        };
        _reconcilers[WebhookSource.KindName] = new WebhookSourceReconciler(context);
        _reconcilers[Destination.KindName] = new DestinationReconciler(context);
        _reconcilers[Connection.KindName] = new ConnectionReconciler(context, gateway, _loggers.CreateLogger<ConnectionReconciler>());
        _reconcilers[GatewayReconciler.Key] = gateway;

        WireEvents();
        foreach (var informer in AllInformers())
        {
            _tasks.Add(Task.Run(() => RunInformerAsync(informer)));
        }

        _health = await HealthServer.StartAsync(_options.MetricsUrls, Metrics, () => AllInformers().All(informer => informer.Synced.IsCompleted));

        if (_options.LeaderElection)
        {
            var identity = _options.Identity ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
            var leaseLock = new LeaseLock(_client, _options.GatewayNamespace, _options.LeaseName, identity);
            _elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
            {
                LeaseDuration = _options.LeaseDuration,
                RenewDeadline = _options.RenewDeadline,
                RetryPeriod = _options.RetryPeriod,
            });
            _elector.OnStartedLeading += () =>
            {
                Log.StartedLeading(_logger, identity, _options.GatewayNamespace, _options.LeaseName);
                StartWorkers();
            };
            _elector.OnStoppedLeading += () =>
            {
                // Cancel at once so no new reconcile starts. The election loop awaits these workers before it
                // campaigns again.
                Log.StoppedLeading(_logger, identity);
                StopWorkers();
            };
            _tasks.Add(Task.Run(() => RunElectionAsync(_elector)));
        }
        else
        {
            StartWorkers();
        }

        Log.Started(_logger, _options.GatewayNamespace, _options.Namespaces.Count == 0 ? "all namespaces" : string.Join(",", _options.Namespaces), string.Join(", ", MetricsUrls));
    }

    /// <summary>Completes when every informer has listed its objects once.</summary>
    public Task WaitForSyncAsync() => Task.WhenAll(AllInformers().Select(informer => informer.Synced));

    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        Log.Stopping(_logger);
        await _stopping.CancelAsync();
        StopWorkers();
        _queue.ShutDown();
        await Task.WhenAll(_tasks);
        await AwaitEndedTermsAsync();
        if (_health is not null)
        {
            await _health.DisposeAsync();
        }

        Log.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _elector?.Dispose();
        (_reconcilers.GetValueOrDefault(GatewayReconciler.Key) as IDisposable)?.Dispose();
        _queue.Dispose();
        _stopping.Dispose();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private void StartWorkers()
    {
        lock (_workersLock)
        {
            if (_term is not null || _stopping.IsCancellationRequested)
            {
                return;
            }

            // No ended term is still running here: the election loop awaits them before it campaigns again.
            var cancellation = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var warmUp = Task.Run(() => EnqueueAllAfterSyncAsync(cancellation.Token));
            List<Task> tasks = [.. Enumerable.Range(0, Math.Max(1, _options.Workers)).Select(_ => Task.Run(() => WorkAsync(warmUp, cancellation.Token))), warmUp];
            Volatile.Write(ref _term, new Term(cancellation, tasks));
            Metrics.Leader.Set(1);
        }
    }

    /// <summary>
    /// Cancels the workers of the current term without waiting for them; <see cref="AwaitEndedTermsAsync"/> waits.
    /// </summary>
    private void StopWorkers()
    {
        Term? term;
        lock (_workersLock)
        {
            term = _term;
            if (term is null)
            {
                return;
            }

            Volatile.Write(ref _term, null);
            Metrics.Leader.Set(0);
            _endedTerms.Add(term);
        }

        // Outside the lock, because Cancel runs the callbacks registered on the token before it returns.
        try
        {
            term.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The workers already ended through shutdown, and AwaitEndedTermsAsync disposed the source.
        }
    }

    /// <summary>
    /// Waits until every worker of the terms that ended has returned. A reconcile that ignores cancellation (a
    /// Redis command cannot be cancelled) is waited for too, so two sets of workers never run in one process.
    /// </summary>
    private async Task AwaitEndedTermsAsync()
    {
        List<Term> ended;
        lock (_workersLock)
        {
            ended = [.. _endedTerms];
        }

        foreach (var term in ended)
        {
            var waiting = Stopwatch.StartNew();
            try
            {
                await Task.WhenAll(term.Tasks);
            }
            catch (Exception exception)
            {
                Log.WorkerFailed(_logger, exception);
            }

            bool removed;
            lock (_workersLock)
            {
                removed = _endedTerms.Remove(term);
            }

            // StopAsync and the election loop may both wait for one term; the first to finish reports it.
            if (removed)
            {
                Log.WorkersStopped(_logger, term.Tasks.Count - 1, waiting.Elapsed.TotalSeconds);
                term.Cancellation.Dispose();
            }
        }
    }

    /// <summary>Queues every cached object once the caches are full, so a new leader looks at everything.</summary>
    private async Task EnqueueAllAfterSyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WaitForSyncAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // The gateway goes first, so resources already in its configuration are not reported as pending
        // while a new leader starts.
        await ReconcileKeyAsync(GatewayReconciler.Key, cancellationToken);

        foreach (var informer in _sources)
        {
            EnqueueAll(WebhookSource.KindName, informer.Items);
        }

        foreach (var informer in _destinations)
        {
            EnqueueAll(Destination.KindName, informer.Items);
        }

        foreach (var informer in _connections)
        {
            EnqueueAll(Connection.KindName, informer.Items);
        }
    }

    private void EnqueueAll(string kind, IEnumerable<IKubernetesObject<V1ObjectMeta>> items)
    {
        foreach (var item in items)
        {
            _queue.Add(KeyOf(kind, item.Metadata.NamespaceProperty, item.Metadata.Name));
        }
    }

    private async Task WorkAsync(Task warmUp, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref _runningWorkers);
        for (var peak = Volatile.Read(ref _peakRunningWorkers); running > peak; peak = Volatile.Read(ref _peakRunningWorkers))
        {
            Interlocked.CompareExchange(ref _peakRunningWorkers, running, peak);
        }

        try
        {
            // Resources are reconciled after the gateway's first reconcile of this leadership, so that the set of
            // configured resources is known and a restart does not report them as pending for a moment.
            await warmUp;
            await TakeAndReconcileAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _runningWorkers);
        }
    }

    private async Task TakeAndReconcileAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string? key;
            try
            {
                key = await _queue.TakeAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (key is null)
            {
                return;
            }

            try
            {
                await ReconcileKeyAsync(key, cancellationToken);
            }
            finally
            {
                _queue.Done(key);
            }
        }
    }

    private async Task ReconcileKeyAsync(string key, CancellationToken cancellationToken)
    {
        var (kind, ns, name) = SplitKey(key);
        var reconciler = _reconcilers[kind];
        _reconcileCounts.AddOrUpdate(key, 1, (_, count) => count + 1);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (BeforeReconcile is { } hook)
            {
                await hook(key, cancellationToken);
            }

            var result = await reconciler.ReconcileAsync(ns, name, cancellationToken);
            _queue.Forget(key);
            if (result.RequeueAfter is { } delay)
            {
                _queue.AddAfter(key, delay);
            }

            Metrics.Reconciles.WithLabels(kind, result.RequeueAfter is null ? "success" : "requeue").Inc();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown or lost leadership: the next leader reconciles this key again.
        }
        catch (Exception exception)
        {
            var delay = _queue.AddRateLimited(key);
            Metrics.Reconciles.WithLabels(kind, "error").Inc();
            Metrics.Errors.WithLabels(kind).Inc();
            Log.ReconcileFailed(_logger, kind, ns, name, delay.TotalSeconds, exception);
            await RecordFailureAsync(kind, ns, name, exception, delay);
        }
        finally
        {
            Metrics.ReconcileDuration.WithLabels(kind).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    /// <summary>
    /// Records a failed reconcile as a Warning Event on the resource. The message names the failure by its type
    /// and HTTP status only, because exception messages may quote values the operator does not control.
    /// </summary>
    private async Task RecordFailureAsync(string kind, string ns, string name, Exception exception, TimeSpan delay)
    {
        IKubernetesObject<V1ObjectMeta>? resource = kind switch
        {
            WebhookSource.KindName => _cache?.Source(ns, name),
            Destination.KindName => _cache?.Destination(ns, name),
            Connection.KindName => _cache?.Connection(ns, name),
            _ => null,
        };
        if (resource is null || _events is null)
        {
            return;
        }

        var cause = exception is k8s.Autorest.HttpOperationException http
            ? $"the API server answered {(int)http.Response.StatusCode} {http.Response.StatusCode}"
            : $"{exception.GetType().Name} was raised";
        var message = $"Reconcile failed because {cause}; the operator retries in {delay.TotalSeconds:0.#} s and logs the details";
        try
        {
            await _events.RecordAsync(resource, "Warning", "ReconcileFailed", message, _stopping.Token);
        }
        catch (Exception recordFailure) when (recordFailure is OperationCanceledException or HttpRequestException)
        {
            // The Event is best effort: the failure is logged above and the key is retried either way.
        }
    }

    private static (string Kind, string Namespace, string Name) SplitKey(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (key, "", "");
    }

    private async Task RunInformerAsync(IInformer informer)
    {
        try
        {
            await informer.RunAsync(_stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Campaigns, leads until the Lease is lost, and repeats. LeaderElector's own forever loop would campaign again
    /// as soon as OnStoppedLeading returns, while the workers of the lost term may still be inside a reconcile, so
    /// this loop awaits them first.
    /// </summary>
    private async Task RunElectionAsync(LeaderElector elector)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(_stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                // The loop must outlive any failure of one campaign, or this replica never leads again.
                Log.ElectionFailed(_logger, _options.GatewayNamespace, _options.LeaseName, _options.RetryPeriod.TotalSeconds, exception);
                await DelayAsync(_options.RetryPeriod);
            }

            // OnStoppedLeading has cancelled the term's workers, and none of them may still run when the next term starts.
            StopWorkers();
            await AwaitEndedTermsAsync();
        }
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The workers of one leadership term and the source that cancels them when the term ends.</summary>
    private sealed record Term(CancellationTokenSource Cancellation, IReadOnlyList<Task> Tasks);

    private IEnumerable<IInformer> AllInformers() => [.. _sources, .. _destinations, .. _connections, .. _secrets];

    private Informer<T> CreateInformer<T>(InformerSource<T> source, Func<T, string> fingerprint)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        new(source, fingerprint, _options.Informers, _loggers.CreateLogger("FastHook.Operator.Controllers.Informer"));

    /// <summary>
    /// What a reconcile of a resource depends on in the resource itself: its generation (the spec), deletion and
    /// finalizers. Status and resourceVersion are left out, so the operator's own status writes do not come back
    /// as work.
    /// </summary>
    private static string ResourceFingerprint<T>(T resource)
        where T : IKubernetesObject<V1ObjectMeta> =>
        $"{resource.Metadata.Generation}|{resource.Metadata.DeletionTimestamp:O}|{string.Join(",", resource.Metadata.Finalizers ?? [])}";

    private static string SecretFingerprint(V1Secret secret)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, value) in (secret.Data ?? new Dictionary<string, byte[]>()).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(key + "\n"));
            hash.AppendData(value);
            hash.AppendData("\n"u8);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
