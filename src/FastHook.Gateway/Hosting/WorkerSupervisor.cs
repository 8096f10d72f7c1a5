using FastHook.Gateway.Configuration;
using FastHook.Gateway.Delivery;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Routing;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Hosting;

/// <summary>
/// Keeps one router per source and one delivery worker per connection running, starting and stopping them as
/// the route table changes, and stops them all at shutdown.
/// </summary>
public sealed partial class WorkerSupervisor(
    RouteTableProvider routes,
    EventStore events,
    DeliveryProcessor processor,
    DestinationLimiters limiters,
    DestinationRateLimiter rateLimiter,
    CircuitBreaker circuitBreaker,
    WakeSignals wake,
    GatewayOptions options,
    string consumer,
    GatewayMetrics metrics,
    TimeProvider clock,
    IConnectionMultiplexer redis,
    ILoggerFactory loggers) : IDisposable
{
    private readonly Dictionary<string, Task> _routers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _deliveries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly ILogger _logger = loggers.CreateLogger<WorkerSupervisor>();
    private readonly Lock _lock = new();

    /// <summary>Starts workers for everything in the current table that has none.</summary>
    public void Reconcile()
    {
        var table = routes.Current;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            Forget(_routers);
            Forget(_deliveries);

            foreach (var name in table.Sources.Keys.Where(name => !_routers.ContainsKey(name)))
            {
                var router = new Router(name, routes, wake, options, consumer, metrics, clock, redis, loggers.CreateLogger<Router>());
                _routers[name] = Task.Run(() => router.RunAsync(_stopping.Token));
                wake.Wake("source:" + name);
            }

            foreach (var name in table.Connections.Keys.Where(name => !_deliveries.ContainsKey(name)))
            {
                var worker = new DeliveryWorker(name, routes, events, processor, limiters, rateLimiter, circuitBreaker, wake, options, consumer, metrics, clock, loggers.CreateLogger<DeliveryWorker>());
                _deliveries[name] = Task.Run(() => worker.RunAsync(_stopping.Token, _abandon.Token));
            }

            // Workers of removed resources end on their own at their next loop; a wake-up makes that immediate.
            foreach (var name in _deliveries.Keys.Where(name => !table.Connections.ContainsKey(name)))
            {
                wake.Wake("connection:" + name);
            }

            foreach (var name in _routers.Keys.Where(name => !table.Sources.ContainsKey(name)))
            {
                wake.Wake("source:" + name);
            }
        }
    }

    /// <summary>
    /// Stops taking work, waits up to <see cref="GatewayOptions.ShutdownTimeout"/> for in-flight deliveries, then
    /// cancels the rest, whose events stay pending for another process to reclaim.
    /// </summary>
    public async Task StopAsync()
    {
        Task[] all;
        lock (_lock)
        {
            _stopping.Cancel();
            all = [.. _routers.Values, .. _deliveries.Values];
        }

        _abandon.CancelAfter(options.ShutdownTimeout);
        try
        {
            await Task.WhenAll(all).WaitAsync(options.ShutdownTimeout + TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Log.StopTimedOut(_logger);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _abandon.Dispose();
    }

    private static void Forget(Dictionary<string, Task> workers)
    {
        foreach (var name in workers.Where(worker => worker.Value.IsCompleted).Select(worker => worker.Key).ToList())
        {
            workers.Remove(name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Warning, "Some workers did not stop within the shutdown timeout")]
        public static partial void StopTimedOut(ILogger logger);
    }
}
