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

        var stored = await context.Status.UpdateAsync(CustomResourceKind.Destinations, destination, current =>
        {
            var generation = current.Metadata.Generation;
            var ready = ResourceConditions.Apply(current.Status, errors, isConnection: false, generation, now);
            context.SetReady(current.Status, current.Kind, current.QualifiedName, ready, "The gateway delivers to this destination", generation, now);
        }, cancellationToken);

        if (stored is not null)
        {
            await context.ReportReadinessAsync(stored, before, stored.Status.Conditions, cancellationToken);
        }

        return ReconcileResult.Done;
    }
}
