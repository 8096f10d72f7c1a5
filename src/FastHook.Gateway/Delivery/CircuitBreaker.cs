using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Configuration;
using FastHook.Gateway.Metrics;
using FastHook.Gateway.Storage;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace FastHook.Gateway.Delivery;

/// <summary>
/// A destination's circuit breaker, kept in Redis so every gateway process sees the same state. While the
/// circuit is open, workers leave events unread instead of spending their retries; after the cool-down one
/// process sends a single probe, and its success closes the circuit for all.
/// </summary>
public sealed partial class CircuitBreaker(IConnectionMultiplexer redis, RedisKeys keys, GatewayMetrics metrics, ILogger<CircuitBreaker> logger)
{
    /// <summary>Outcomes that count as the destination failing; a client error means it is up and answering.</summary>
    private static readonly HashSet<string> Failures =
    [
        RetryOutcomes.ServerError, RetryOutcomes.TooManyRequests, RetryOutcomes.RequestTimeout, RetryOutcomes.Timeout, RetryOutcomes.Network,
    ];

    /// <summary>
    /// Returns whether events may be read now: <see cref="CircuitDecision.Closed"/>, <see cref="CircuitDecision.Probe"/>
    /// (read one), or <see cref="CircuitDecision.Hold"/> with how long to wait.
    /// </summary>
    public async Task<(CircuitDecision Decision, TimeSpan Wait)> CheckAsync(DestinationTarget destination, CircuitBreakerSettings settings)
    {
        // A probe that gets no answer within two timeouts is given up, so another process may probe.
        var probeLease = destination.Timeout * 2;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
            FlowControlScripts.CheckCircuit,
            [keys.Destination(destination.Name).Circuit],
            [(long)settings.CoolDown.TotalMilliseconds, (long)probeLease.TotalMilliseconds]))!;
        var decision = (CircuitDecision)(int)result[0];
        metrics.CircuitOpen.WithLabels(destination.Name).Set(decision == CircuitDecision.Closed ? 0 : 1);
        return (decision, TimeSpan.FromMilliseconds((long)result[1]));
    }

    /// <summary>Records an attempt's outcome, opening or closing the circuit when it changes state.</summary>
    public async Task RecordAsync(DestinationTarget destination, CircuitBreakerSettings settings, string outcome)
    {
        var success = !Failures.Contains(outcome);
        var change = (int)await redis.GetDatabase().ScriptEvaluateAsync(
            FlowControlScripts.RecordCircuit,
            [keys.Destination(destination.Name).Circuit],
            [success ? 1 : 0, settings.FailureThreshold]);

        if (change == 1)
        {
            metrics.CircuitOpen.WithLabels(destination.Name).Set(1);
            metrics.CircuitOpened.WithLabels(destination.Name).Inc();
            Log.Opened(logger, destination.Name, settings.FailureThreshold, settings.CoolDown.TotalSeconds);
        }
        else if (change == -1)
        {
            metrics.CircuitOpen.WithLabels(destination.Name).Set(0);
            Log.Closed(logger, destination.Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(330, LogLevel.Warning, "Opened the circuit of destination {Destination} after {Threshold} failed attempts in a row; holding deliveries for {CoolDownSeconds}s before a probe")]
        public static partial void Opened(ILogger logger, string destination, int threshold, double coolDownSeconds);

        [LoggerMessage(331, LogLevel.Information, "Closed the circuit of destination {Destination}: a probe succeeded, deliveries resume")]
        public static partial void Closed(ILogger logger, string destination);
    }
}

/// <summary>
/// What a circuit breaker allows now.
/// </summary>
public enum CircuitDecision
{
    Closed = 0,
    Hold = 1,
    Probe = 2,
}
