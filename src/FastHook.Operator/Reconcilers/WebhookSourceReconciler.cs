using FastHook.Api;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.Controllers;
using FastHook.Operator.Resources;
using FastHook.Operator.Status;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Sets a WebhookSource's conditions and its ingest URL.
/// </summary>
public sealed class WebhookSourceReconciler(ReconcileContext context) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        if (context.Cache.Source(ns, name) is not { } source || source.Metadata.DeletionTimestamp is not null)
        {
            context.Metrics.RemoveReady(WebhookSource.KindName, ns, name);
            return ReconcileResult.Done;
        }

        var analysis = context.Cache.Analyze();
        var errors = analysis.ErrorsOf(source.Kind, source.QualifiedName);
        var now = context.Clock.GetUtcNow();
        var before = StatusWriter.Clone(source.Status.Conditions);

        var stored = await context.Status.UpdateAsync(CustomResourceKind.Sources, source, current =>
        {
            var generation = current.Metadata.Generation;
            var ready = ResourceConditions.Apply(current.Status, errors, isConnection: false, generation, now);
            current.Status.Url = context.Gateway.IngestBaseUrl + SourcePaths.Of(current);
            context.SetReady(current.Status, current.Kind, current.QualifiedName, ready, $"The gateway serves this source at {current.Status.Url}", generation, now);
        }, cancellationToken);

        if (stored is not null)
        {
            await context.ReportReadinessAsync(stored, before, stored.Status.Conditions, cancellationToken);
        }

        return ReconcileResult.Done;
    }
}
