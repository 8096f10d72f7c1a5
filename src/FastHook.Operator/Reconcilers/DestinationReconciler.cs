using FastHook.Api.V1Alpha1;
using FastHook.Operator.Controllers;
using FastHook.Operator.Redis;
using FastHook.Operator.Resources;
using FastHook.Operator.Status;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Sets a Destination's conditions, including Delivering from the circuit breaker's state and the delivery
/// attempts the gateways recorded in Redis.
/// </summary>
public sealed class DestinationReconciler(ReconcileContext context) : IReconciler
{
    /// <summary>Events sampled from each of a connection's newest, retrying, waiting and dead-lettered sets.</summary>
    /// <remarks>
    /// NOTE: the gateway keeps no per-destination outcome counter in Redis, so Delivering is judged from this
    /// sample of per-event attempt records. An event outside all four sets (one replayed from long ago) is not seen.
    /// </remarks>
    private const int EventsPerSet = 20;

    /// <summary>The latest attempts read per sampled event.</summary>
    private const int AttemptsPerEvent = 10;

    /// <summary>The longest error text quoted from an attempt in the condition's message.</summary>
    private const int MaxErrorLength = 200;

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (context.Cache.Destination(ns, name) is not { } destination || destination.Metadata.DeletionTimestamp is not null)
        {
            context.Metrics.RemoveReady(Destination.KindName, ns, name);
            return ReconcileResult.Done;
        }

        var analysis = context.Cache.Analyze();
        var errors = analysis.ErrorsOf(destination.Kind, destination.QualifiedName);
        var now = context.Clock.GetUtcNow();
        var before = StatusWriter.Clone(destination.Status.Conditions);
        var delivery = context.Data is { } data ? await ReadDeliveryAsync(data, destination) : null;

        var stored = await context.Status.UpdateAsync(CustomResourceKind.Destinations, destination, current =>
        {
            var generation = current.Metadata.Generation;
            var ready = ResourceConditions.Apply(current.Status, errors, isConnection: false, generation, now);
            context.SetReady(current.Status, current.Kind, current.QualifiedName, ready, "The gateway delivers to this destination", generation, now);
            if (context.Data is null)
            {
                Conditions.Remove(current.Status.Conditions, ConditionTypes.Delivering);
            }
            else if (delivery is not null)
            {
                SetDelivering(current.Status.Conditions, delivery, generation, now);
            }

            // Redis is unreachable when delivery is null: the condition keeps its last known value.
        }, cancellationToken);

        if (stored is not null)
        {
            await context.ReportReadinessAsync(stored, before, stored.Status.Conditions, cancellationToken);
        }

        // The circuit's state and the attempts live in Redis, not in the API, so they are read again on the
        // counters' interval.
        return context.Data is null ? ReconcileResult.Done : ReconcileResult.After(context.Options.CounterInterval);
    }

    private static void SetDelivering(IList<ResourceCondition> conditions, DeliveryReading delivery, long? generation, DateTimeOffset now)
    {
        if (delivery.CircuitOpenedAt is { } openedAt)
        {
            Conditions.Set(conditions, ConditionTypes.Delivering, false, "CircuitOpen",
                $"The circuit breaker opened at {openedAt:O} after failed attempts in a row; deliveries are held and one probe is sent after spec.circuitBreaker.coolDown", generation, now);
            return;
        }

        var health = delivery.Health;
        switch (health.State)
        {
            case DeliveryState.NoAttempts:
                Conditions.SetUnknown(conditions, ConditionTypes.Delivering, "NoDeliveriesYet",
                    "No delivery attempt to this destination is stored in Redis yet, or the stored ones have expired", generation, now);
                break;
            case DeliveryState.Succeeding:
                // The message stays the same while deliveries succeed, so steady traffic causes no status writes.
                Conditions.Set(conditions, ConditionTypes.Delivering, true, "DeliveriesSucceeding",
                    $"At least one delivery attempt in the {DeliveryHealth.Window.TotalMinutes:0} minutes before the latest one succeeded", generation, now);
                break;
            default:
                var latest = health.Latest!.Value;
                Conditions.Set(conditions, ConditionTypes.Delivering, false, "DeliveriesFailing",
                    $"All {health.FailedInWindow} delivery attempts read from the {DeliveryHealth.Window.TotalMinutes:0} minutes before the latest one failed. " +
                    $"The latest, at {latest.StartedAt:O} through Connection {latest.Connection}, {Describe(latest)}. " +
                    "Check that the destination is up and accepts the requests; the condition turns True after an attempt gets a 2xx response",
                    generation, now);
                break;
        }
    }

    private static string Describe(DeliveryAttempt attempt)
    {
        var error = attempt.Error is { Length: > MaxErrorLength } text ? text[..MaxErrorLength] + "..." : attempt.Error;
        return (attempt.Status, error) switch
        {
            ({ } status, { Length: > 0 }) => $"got HTTP {status}: {error}",
            ({ } status, _) => $"got HTTP {status}",
            (null, { Length: > 0 }) => $"got no response: {error}",
            _ => "got no response",
        };
    }

    /// <summary>
    /// Reads the circuit's state (only with <c>spec.circuitBreaker</c>) and the recent attempts of every
    /// connection to the destination; returns null when Redis cannot be reached.
    /// </summary>
    private async Task<DeliveryReading?> ReadDeliveryAsync(ConnectionData data, Destination destination)
    {
        var connections = context.Cache.Connections
            .Where(connection => connection.Namespace == destination.Namespace && connection.Spec.DestinationRef?.Name == destination.Name)
            .Select(connection => connection.QualifiedName)
            .ToList();
        try
        {
            var openedAt = destination.Spec.CircuitBreaker is null ? null : await data.CircuitOpenedAtAsync(destination.QualifiedName);
            var attempts = new List<DeliveryAttempt>();
            foreach (var connection in connections)
            {
                attempts.AddRange(await data.RecentAttemptsAsync(connection, EventsPerSet, AttemptsPerEvent));
            }

            return new DeliveryReading(openedAt, DeliveryHealth.Evaluate(attempts));
        }
        catch (StackExchange.Redis.RedisException)
        {
            return null;
        }
    }

    private sealed record DeliveryReading(DateTimeOffset? CircuitOpenedAt, DeliveryHealth Health);
}
