using FastHook.Gateway.Configuration;
using FastHook.Gateway.DeadLetter;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Transformation;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// Makes one attempt for one event and records its result: delivered, scheduled for a retry, or dead-lettered.
/// </summary>
public sealed partial class DeliveryProcessor(
    RequestStore requests,
    EventStore events,
    DeliveryClient client,
    CircuitBreaker circuitBreaker,
    GatewayOptions options,
    GatewayMetrics metrics,
    TimeProvider clock,
    ILogger<DeliveryProcessor> logger)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SuccessRecorder> _successRecorders = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads the requests of <paramref name="entries"/> in one round trip, for <see cref="ProcessAsync"/>; an
    /// item is null when its request is no longer stored.
    /// </summary>
    public Task<StoredRequest?[]> ReadRequestsAsync(IReadOnlyList<EventEntry> entries) =>
        requests.ReadManyAsync(entries.Select(entry => (events.Keys.Source(entry.Source), entry.RequestId)).ToList());

    /// <param name="connection">The connection as configured when the event was read.</param>
    /// <param name="entry">The event's stream entry, owned by <paramref name="consumer"/>.</param>
    /// <param name="request">The event's request, read with the entry; null when it is no longer stored.</param>
    /// <param name="consumer">This process's consumer name.</param>
    /// <param name="stopping">Cancelled when in-flight deliveries must be abandoned; the event is then left pending for another process.</param>
    /// <returns>When the next attempt is due if one was scheduled, otherwise null.</returns>
    public async Task<DateTimeOffset?> ProcessAsync(ConnectionRoute connection, EventEntry entry, StoredRequest? request, string consumer, CancellationToken stopping)
    {
        if (request is null)
        {
            Log.RequestMissing(logger, connection.Name, entry.EventId, entry.RequestId);
            await events.DeadLetterAsync(connection, entry, consumer, null, DeadLetterReasons.RequestMissing, clock.GetUtcNow(), options.MaxAttemptRecords);
            metrics.DeadLetters.WithLabels(connection.Name, DeadLetterReasons.RequestMissing).Inc();
            return null;
        }

        TransformedRequest? transformed = null;
        if (connection.Transform is { } transform)
        {
            var result = Transform(connection, transform, request);
            if (!result.Succeeded)
            {
                await DeadLetterTransformFailureAsync(connection, entry, consumer, result);
                return null;
            }

            transformed = result.Request;
        }

        var startedAt = clock.GetUtcNow();
        var (outcome, duration) = await client.SendAsync(connection.Destination, entry, request, transformed, stopping);
        var attempt = new AttemptRecord
        {
            Attempt = entry.Attempt,
            StartedAt = startedAt,
            DurationMs = Math.Round(duration.TotalMilliseconds, 3),
            Status = outcome.Status,
            Outcome = outcome.Name,
            Error = outcome.Error,
            ResponseExcerpt = outcome.ResponseExcerpt,
            Consumer = consumer,
        };

        metrics.DeliveryAttempts.WithLabels(connection.Name, outcome.Name).Inc();
        metrics.DeliveryDuration.WithLabels(connection.Name).Observe(duration.TotalSeconds);

        DateTimeOffset? retryDue = null;
        if (outcome.IsSuccess)
        {
            await RecordSuccessAsync(connection, entry, attempt, stopping);
        }
        else
        {
            retryDue = await RecordFailureAsync(connection, entry, consumer, attempt, outcome);
        }

        await RecordCircuitAsync(connection, entry, outcome);
        return retryDue;
    }

    /// <summary>
    /// Feeds the outcome to the destination's circuit breaker after the event's own bookkeeping, so a failure
    /// here can never undo or repeat a recorded delivery.
    /// </summary>
    private async Task RecordCircuitAsync(ConnectionRoute connection, EventEntry entry, DeliveryOutcome outcome)
    {
        if (connection.Destination.CircuitBreaker is not { } settings)
        {
            return;
        }

        try
        {
            await circuitBreaker.RecordAsync(connection.Destination, settings, outcome.Name);
        }
        catch (RedisException exception)
        {
            metrics.RedisErrors.WithLabels("delivery").Inc();
            Log.CircuitRecordFailed(logger, connection.Name, entry.EventId, exception);
        }
    }

    /// <summary>
    /// Records a 2xx through the connection's <see cref="SuccessRecorder"/>, which batches it with other successes
    /// and repeats a failed write rather than the delivery.
    /// </summary>
    private async Task RecordSuccessAsync(ConnectionRoute connection, EventEntry entry, AttemptRecord attempt, CancellationToken stopping)
    {
        var queue = _successRecorders.GetOrAdd(connection.Name, _ => new SuccessRecorder(events, options, metrics, clock, logger));
        if (!await queue.CompleteAsync(connection, entry, attempt, stopping))
        {
            return;
        }

        var latency = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(entry.ReceivedAtMs);
        metrics.DeliveryLatency.WithLabels(connection.Name).Observe(Math.Max(0, latency.TotalSeconds));
        Log.Delivered(logger, connection.Name, entry.EventId, entry.Attempt, attempt.Status ?? 0);
    }

    private async Task<DateTimeOffset?> RecordFailureAsync(ConnectionRoute connection, EventEntry entry, string consumer, AttemptRecord attempt, DeliveryOutcome outcome)
    {
        var retry = connection.Retry;
        var retryable = retry.RetryOn.Contains(outcome.Name);
        if (retryable && entry.Attempt < retry.MaxAttempts)
        {
            var delay = retry.NextDelay(entry.Attempt, outcome.RetryAfter, Random.Shared.NextDouble());
            var due = clock.GetUtcNow() + delay;
            if (await events.ScheduleRetryAsync(connection, entry, consumer, attempt, entry.Attempt + 1, due, options.MaxAttemptRecords))
            {
                metrics.RetriesScheduled.WithLabels(connection.Name).Inc();
                Log.RetryScheduled(logger, connection.Name, entry.EventId, entry.Attempt, outcome.Name, delay.TotalSeconds);
                return due;
            }

            Log.OwnershipLost(logger, connection.Name, entry.EventId);
            return null;
        }

        var reason = retryable ? DeadLetterReasons.Exhausted : outcome.Name;
        if (await events.DeadLetterAsync(connection, entry, consumer, attempt, reason, clock.GetUtcNow(), options.MaxAttemptRecords))
        {
            metrics.DeadLetters.WithLabels(connection.Name, reason).Inc();
            Log.DeadLettered(logger, connection.Name, entry.EventId, entry.Attempt, reason);
        }
        else
        {
            Log.OwnershipLost(logger, connection.Name, entry.EventId);
        }

        return null;
    }

    private TransformOutcome Transform(ConnectionRoute connection, TransformScript transform, StoredRequest request)
    {
        var result = transform.Run(request);
        metrics.TransformDuration.WithLabels(connection.Name).Observe(result.Duration.TotalSeconds);
        return result;
    }

    /// <summary>
    /// Dead-letters an event whose transform failed, at once: the same script fails the same way on a retry. The
    /// failure is recorded as an attempt with outcome transformFailed and no status, so the error is kept.
    /// </summary>
    private async Task DeadLetterTransformFailureAsync(ConnectionRoute connection, EventEntry entry, string consumer, TransformOutcome result)
    {
        var now = clock.GetUtcNow();
        var attempt = new AttemptRecord
        {
            Attempt = entry.Attempt,
            StartedAt = now - result.Duration,
            DurationMs = Math.Round(result.Duration.TotalMilliseconds, 3),
            Outcome = TransformFailures.DeadLetterReason,
            Error = $"The transform failed ({result.FailureReason}): {result.Error}",
            Consumer = consumer,
        };

        metrics.TransformFailures.WithLabels(connection.Name, result.FailureReason!).Inc();
        if (await events.DeadLetterAsync(connection, entry, consumer, attempt, TransformFailures.DeadLetterReason, now, options.MaxAttemptRecords))
        {
            metrics.DeadLetters.WithLabels(connection.Name, TransformFailures.DeadLetterReason).Inc();
            Log.TransformFailed(logger, connection.Name, entry.EventId, result.FailureReason!, result.Error!);
        }
        else
        {
            Log.OwnershipLost(logger, connection.Name, entry.EventId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Debug, "Delivered event {EventId} of connection {Connection} on attempt {Attempt} with status {Status}")]
        public static partial void Delivered(ILogger logger, string connection, string eventId, int attempt, int status);

        [LoggerMessage(301, LogLevel.Information, "Attempt {Attempt} of event {EventId} of connection {Connection} failed ({Outcome}); retrying in {DelaySeconds:0.###}s")]
        public static partial void RetryScheduled(ILogger logger, string connection, string eventId, int attempt, string outcome, double delaySeconds);

        [LoggerMessage(302, LogLevel.Warning, "Dead-lettered event {EventId} of connection {Connection} after attempt {Attempt}: {Reason}")]
        public static partial void DeadLettered(ILogger logger, string connection, string eventId, int attempt, string reason);

        [LoggerMessage(304, LogLevel.Error, "Dead-lettered event {EventId} of connection {Connection}: its request {RequestId} is no longer stored")]
        public static partial void RequestMissing(ILogger logger, string connection, string eventId, string requestId);

        [LoggerMessage(306, LogLevel.Warning, "Could not record the outcome of event {EventId} of connection {Connection} in its destination's circuit breaker")]
        public static partial void CircuitRecordFailed(ILogger logger, string connection, string eventId, Exception exception);

        [LoggerMessage(305, LogLevel.Information, "Event {EventId} of connection {Connection} was taken over by another gateway process; it records the outcome")]
        public static partial void OwnershipLost(ILogger logger, string connection, string eventId);

        [LoggerMessage(306, LogLevel.Warning, "Dead-lettered event {EventId} of connection {Connection}: its transform failed ({Reason}): {Error}")]
        public static partial void TransformFailed(ILogger logger, string connection, string eventId, string reason, string error);
    }
}
