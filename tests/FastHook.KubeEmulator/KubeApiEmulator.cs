using System.Net;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Storage;
using FastHook.KubeEmulator.Testing;
using FastHook.KubeEmulator.Validation;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FastHook.KubeEmulator;

/// <summary>
/// An in-process, in-memory Kubernetes API server for tests, served over plain HTTP on 127.0.0.1 so that
/// the real KubernetesClient talks to it as it would to a cluster.
/// </summary>
public sealed partial class KubeApiEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ObjectStore _store;
    private readonly RequestLog _requests;
    private readonly CelRuleCompiler _compiler;
    private readonly CancellationTokenSource _stopping;

    private KubeApiEmulator(WebApplication app, ObjectStore store, RequestLog requests, CelRuleCompiler compiler, CancellationTokenSource stopping, FaultInjector faults, Uri url)
    {
        _app = app;
        _store = store;
        _requests = requests;
        _compiler = compiler;
        _stopping = stopping;
        Faults = faults;
        Url = url;
        Client = new Kubernetes(CreateClientConfiguration());
    }

    /// <summary>The base URL, such as http://127.0.0.1:41234.</summary>
    public Uri Url { get; }

    /// <summary>A client for this emulator, disposed with it.</summary>
    public Kubernetes Client { get; }

    /// <summary>The faults armed for the next requests.</summary>
    public FaultInjector Faults { get; }

    /// <summary>Every request served so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    /// <summary>The latest resourceVersion issued. Every write takes the next one.</summary>
    public long CurrentResourceVersion => _store.CurrentRevision;

    public int OpenWatchCount => _store.OpenWatchCount;

    /// <summary>The x-kubernetes-validations rules skipped because cel-net cannot run them, as "path: rule (error)".</summary>
    public IReadOnlyList<string> SkippedValidationRules => _compiler.Skipped;

    /// <summary>Starts an emulator on a free port of 127.0.0.1 with the default and kube-system namespaces.</summary>
    public static async Task<KubeApiEmulator> StartAsync(KubeApiEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiEmulatorOptions();
        options.Validate();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<KubeApiEmulator>();

        var catalog = new ResourceCatalog();
        var compiler = new CelRuleCompiler(options.SkipUnsupportedValidationRules);
        var store = new ObjectStore(catalog, compiler, options.TimeProvider, options.WatchHistorySize);
        store.Seed(options.InitialNamespaces);

        var requests = new RequestLog();
        var faults = new FaultInjector();
        var stopping = new CancellationTokenSource();
        var router = new RequestRouter(store, catalog, faults, requests, new WatchStreamer(store, options, stopping.Token), logger);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var app = builder.Build();
        app.Run(router.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Log.Started(logger, url);
        return new KubeApiEmulator(app, store, requests, compiler, stopping, faults, url);
    }

    /// <summary>A client configuration for this emulator: plain HTTP, no credentials.</summary>
    public KubernetesClientConfiguration CreateClientConfiguration() => new() { Host = Url.ToString().TrimEnd('/') };

    /// <summary>Lists the distinct verbs used per resource so far, sorted, as the input for an RBAC rule check.</summary>
    public IReadOnlyList<ResourceVerb> UsedResourceVerbs() =>
        [.. Requests
            .Where(r => r.Resource.Length > 0)
            .Select(r => new ResourceVerb(r.Group, r.RbacResource, r.Verb))
            .Distinct()
            .OrderBy(p => p.Group, StringComparer.Ordinal)
            .ThenBy(p => p.Resource, StringComparer.Ordinal)
            .ThenBy(p => p.Verb, StringComparer.Ordinal)];

    public void ClearRequests() => _requests.Clear();

    /// <summary>Ends every open watch stream normally, as the API server does when a watch times out.</summary>
    public void CloseWatches() => _store.CloseAllWatches();

    /// <summary>Makes every open watch go silent with its connection left open; watches opened later work.</summary>
    public void StallWatches() => _store.StallAllWatches();

    /// <summary>Forgets the change history, so watching from any earlier resourceVersion gets 410 Expired.</summary>
    public void CompactHistory() => _store.CompactHistory();

    public async ValueTask DisposeAsync()
    {
        _store.CloseAllWatches();
        await _stopping.CancelAsync();
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Kubernetes API emulator listening on {Url}")]
        public static partial void Started(ILogger logger, Uri url);
    }
}
