using FastHook.Gateway.Configuration;
using FastHook.Gateway.Storage;
using StackExchange.Redis;

namespace FastHook.Gateway.Metrics;

/// <summary>
/// Refreshes the per-connection backlog gauges (pending, scheduled, oldest pending age) from Redis.
/// </summary>
public sealed class BacklogSampler(RouteTableProvider routes, EventStore events, GatewayMetrics metrics, TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await SampleOnceAsync();
            try
            {
                await Task.Delay(Interval, clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SampleOnceAsync()
    {
        foreach (var connection in routes.Current.Connections.Values)
        {
            try
            {
                var (pending, scheduled, oldest) = await events.CountAsync(connection.Keys);
                metrics.EventsPending.WithLabels(connection.Name).Set(pending);
                metrics.EventsScheduled.WithLabels(connection.Name).Set(scheduled);
                var age = oldest is { } time ? Math.Max(0, (clock.GetUtcNow() - time).TotalSeconds) : 0;
                metrics.OldestPendingAge.WithLabels(connection.Name).Set(age);
            }
            catch (RedisException)
            {
                metrics.RedisErrors.WithLabels("metrics").Inc();
            }
        }
    }
}
