using FastHook.Gateway.Configuration;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Replay;

/// <summary>
/// Runs replay requests. Any gateway process may pick one up; a lock in Redis lets one run it at a time, and a
/// replay whose process died is resumed from its stored cursor by another once the lock expires.
/// </summary>
public sealed partial class ReplayWorker(
    RouteTableProvider routes,
    ReplayStore replays,
    GatewayOptions options,
    string owner,
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger<ReplayWorker> logger) : IDisposable
{
    private const int BatchSize = 200;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _trigger = new(0, 1);
    private readonly Diagnostics.LogThrottle _throttle = new(clock, TimeSpan.FromSeconds(30));

    /// <summary>Makes the worker look for replays now instead of at its next poll.</summary>
    public void Trigger()
    {
        if (_trigger.CurrentCount == 0)
        {
            try
            {
                _trigger.Release();
            }
            catch (SemaphoreFullException)
            {
                // A trigger is already pending.
            }
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            foreach (var connection in routes.Current.Connections.Values)
            {
                try
                {
                    foreach (var name in await replays.ListUnfinishedAsync(connection.Keys))
                    {
                        await RunReplayAsync(connection, name, stopping);
                    }
                }
                catch (RedisException exception)
                {
                    metrics.RedisErrors.WithLabels("replay").Inc();
                    if (_throttle.ShouldLog(connection.Name, out var suppressed))
                    {
                        Log.Failed(logger, connection.Name, suppressed, exception);
                    }
                }
            }

            try
            {
                await _trigger.WaitAsync(options.IdlePollInterval * 2, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunReplayAsync(ConnectionRoute connection, string name, CancellationToken stopping)
    {
        if (!await replays.TryLockAsync(connection.Keys, name, owner, Lease))
        {
            return;
        }

        try
        {
            await replays.MarkRunningAsync(connection.Keys, name, clock.GetUtcNow());
            var before = await replays.GetAsync(connection.Keys, name);
            var done = false;
            while (!done && !stopping.IsCancellationRequested)
            {
                done = await replays.RunBatchAsync(connection, name, BatchSize, clock.GetUtcNow());
                if (!await replays.ExtendLockAsync(connection.Keys, name, owner, Lease))
                {
                    return;
                }
            }

            if (done && await replays.GetAsync(connection.Keys, name) is { } record)
            {
                metrics.Replays.WithLabels(connection.Name, "succeeded").Inc();
                metrics.EventsReplayed.WithLabels(connection.Name).Inc(record.Enqueued - (before?.Enqueued ?? 0));
                Log.Finished(logger, connection.Name, name, record.Matched, record.Enqueued);
            }
        }
        finally
        {
            await replays.ReleaseLockAsync(connection.Keys, name, owner);
        }
    }

    public void Dispose() => _trigger.Dispose();

    private static partial class Log
    {
        [LoggerMessage(600, LogLevel.Information, "Replay {Replay} of connection {Connection} finished: {Matched} events matched, {Enqueued} re-enqueued")]
        public static partial void Finished(ILogger logger, string connection, string replay, long matched, long enqueued);

        [LoggerMessage(601, LogLevel.Error, "Replays of connection {Connection} could not run; retrying at the next poll. {Suppressed} more failures were not logged")]
        public static partial void Failed(ILogger logger, string connection, long suppressed, Exception exception);
    }
}
