using FastHook.Api.V1Alpha1;
using FastHook.Operator.Controllers;
using FastHook.Operator.Resources;
using FastHook.Operator.Status;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Sets a Destination's conditions.
/// </summary>
public sealed class DestinationReconciler(ReconcileContext context) : IReconciler
{
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
        var watchCircuit = destination.Spec.CircuitBreaker is not null && context.Data is not null;
        var (circuitKnown, circuitOpenedAt) = watchCircuit ? await ReadCircuitAsync(destination) : (false, null);

        var stored = await context.Status.UpdateAsync(CustomResourceKind.Destinations, destination, current =>
        {
            var generation = current.Metadata.Generation;
            var ready = ResourceConditions.Apply(current.Status, errors, isConnection: false, generation, now);
            context.SetReady(current.Status, current.Kind, current.QualifiedName, ready, "The gateway delivers to this destination", generation, now);
            if (!watchCircuit)
            {
                Conditions.Remove(current.Status.Conditions, ConditionTypes.Delivering);
            }
            else if (!circuitKnown)
            {
                // Redis is unreachable: the condition keeps its last known value.
            }
            else if (circuitOpenedAt is { } openedAt)
            {
                Conditions.Set(current.Status.Conditions, ConditionTypes.Delivering, false, "CircuitOpen",
                    $"The circuit breaker opened at {openedAt:O} after failed attempts in a row; deliveries are held and one probe is sent after spec.circuitBreaker.coolDown", generation, now);
            }
            else
            {
                Conditions.Set(current.Status.Conditions, ConditionTypes.Delivering, true, "CircuitClosed", "Deliveries go to this destination", generation, now);
            }
        }, cancellationToken);

        if (stored is not null)
        {
            await context.ReportReadinessAsync(stored, before, stored.Status.Conditions, cancellationToken);
        }

        // The circuit's state lives in Redis, not in the API, so it is read again on the counters' interval.
        return watchCircuit ? ReconcileResult.After(context.Options.CounterInterval) : ReconcileResult.Done;
    }

    /// <summary>Reads the circuit's state; Known is false when Redis cannot be reached.</summary>
    private async Task<(bool Known, DateTimeOffset? OpenedAt)> ReadCircuitAsync(Destination destination)
    {
        try
        {
            return (true, await context.Data!.CircuitOpenedAtAsync(destination.QualifiedName));
        }
        catch (StackExchange.Redis.RedisException)
        {
            return (false, null);
        }
    }
}
