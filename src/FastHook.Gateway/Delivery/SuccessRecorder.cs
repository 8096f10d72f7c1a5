using FastHook.Gateway.Configuration;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// Records one connection's successful deliveries in batches: while one script call is under way, the successes
/// that finish meanwhile wait and go together in the next call. A lone success is written at once, so batching
/// adds no delay. Under load it saves a Redis round trip and a script call per event.
/// A failed write is repeated, never the delivery: a 2xx is final. If the process stops first, the events stay
/// pending and are delivered again, which at-least-once delivery allows and the stable webhook-id reveals.
/// </summary>
public sealed partial class SuccessRecorder(
    EventStore events,
    GatewayOptions options,
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>The largest number of events one script call records, which bounds how long one call blocks Redis.</summary>
    public const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private List<Completion> _waiting = [];
    private bool _writing;

    /// <summary>
    /// Records the success of <paramref name="entry"/>. The task completes with true once Redis has it, or with
    /// false when <paramref name="stopping"/> was cancelled before it could be written.
    /// </summary>
    public Task<bool> CompleteAsync(ConnectionRoute connection, EventEntry entry, AttemptRecord attempt, CancellationToken stopping)
    {
        var completion = new Completion(connection, entry, attempt, stopping);
        bool start;
        lock (_gate)
        {
            _waiting.Add(completion);
            start = !_writing;
            _writing = true;
        }

        if (start)
        {
            _ = WriteAllAsync();
        }

        return completion.Done.Task;
    }

    private async Task WriteAllAsync()
    {
        while (true)
        {
            List<Completion> batch;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _writing = false;
                    return;
                }

                if (_waiting.Count <= MaxBatch)
                {
                    batch = _waiting;
                    _waiting = [];
                }
                else
                {
                    batch = _waiting.GetRange(0, MaxBatch);
                    _waiting.RemoveRange(0, MaxBatch);
                }
            }

            try
            {
                var written = await WriteAsync(batch);
                foreach (var completion in batch)
                {
                    completion.Done.TrySetResult(written);
                }
            }
            catch (Exception exception)
            {
                // Not a Redis failure: the events stay pending and the callers report the error.
                foreach (var completion in batch)
                {
                    completion.Done.TrySetException(exception);
                }
            }
        }
    }

    /// <summary>Writes one batch, repeating the write until Redis takes it or every event's delivery is abandoned.</summary>
    private async Task<bool> WriteAsync(List<Completion> batch)
    {
        // Events of one connection share its keys; the newest route is used in case the connection changed.
        var connection = batch[^1].Connection;
        var items = batch.Select(completion => (completion.Entry, completion.Attempt)).ToList();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await events.CompleteAsync(connection, items, options.MaxAttemptRecords);
                return true;
            }
            catch (RedisException exception)
            {
                metrics.RedisErrors.WithLabels("delivery").Inc();
                Log.CompleteFailed(logger, connection.Name, batch.Count, batch[0].Entry.EventId, exception);
                if (batch.TrueForAll(completion => completion.Stopping.IsCancellationRequested))
                {
                    return false;
                }

                await Task.Delay(delay, clock, CancellationToken.None);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private sealed record Completion(ConnectionRoute Connection, EventEntry Entry, AttemptRecord Attempt, CancellationToken Stopping)
    {
        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(303, LogLevel.Error, "Could not record the delivery of {Count} events of connection {Connection}, starting with event {EventId}; retrying the write, not the deliveries")]
        public static partial void CompleteFailed(ILogger logger, string connection, int count, string eventId, Exception exception);
    }
}
