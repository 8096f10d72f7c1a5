using FastHook.Operator.Controllers;
using FastHook.Operator.GatewayObjects;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// Writes the objects that run the gateway: its routing configuration (ConfigMap and Secret), Deployment,
/// Services, PodDisruptionBudget and optional Ingress. There is one gateway, under the work queue key <see cref="Key"/>.
/// </summary>
public sealed class GatewayReconciler(ReconcileContext context, ObjectApplier applier) : IReconciler, IDisposable
{
    public const string Key = "gateway";

    private readonly SemaphoreSlim _serial = new(1, 1);

    /// <summary>Raised with the resources ("Kind namespace/name") that entered or left the written configuration.</summary>
    public event Action<IReadOnlyList<string>>? RoutesChanged;

    public async Task<ReconcileResult> ReconcileAsync(string ns, string name, CancellationToken cancellationToken)
    {
        // A Connection's finalizer calls this directly, outside the work queue, so two calls may overlap.
        await _serial.WaitAsync(cancellationToken);
        try
        {
            await ApplyAllAsync(cancellationToken);
        }
        finally
        {
            _serial.Release();
        }

        return ReconcileResult.After(context.Options.GatewayResyncInterval);
    }

    public void Dispose() => _serial.Dispose();

    private async Task ApplyAllAsync(CancellationToken cancellationToken)
    {
        var analysis = context.Cache.Analyze();
        var builder = context.Gateway;
        var client = context.Client;

        // The Secret goes first, so the gateway never loads routes that reference keys it does not have yet.
        await applier.ApplyAsync(builder.SecretsSecret(RoutingDocuments.Secrets(analysis.Valid)), ObjectOperations.Secrets(client), cancellationToken);
        var routes = await applier.ApplyAsync(builder.RoutesConfigMap(RoutingDocuments.Routes(analysis.Valid)), ObjectOperations.ConfigMaps(client), cancellationToken);
        if (routes != ApplyOutcome.NotManaged)
        {
            var changed = context.Applied.Replace(analysis.Valid);
            if (changed.Count > 0)
            {
                RoutesChanged?.Invoke(changed);
            }
        }
        await applier.ApplyAsync(builder.Deployment(), ObjectOperations.Deployments(client), cancellationToken);
        await applier.ApplyAsync(builder.IngestService(), ObjectOperations.Services(client), cancellationToken);
        await applier.ApplyAsync(builder.MetricsService(), ObjectOperations.Services(client), cancellationToken);

        if (builder.DisruptionBudget() is { } budget)
        {
            await applier.ApplyAsync(budget, ObjectOperations.DisruptionBudgets(client), cancellationToken);
        }
        else
        {
            await applier.DeleteIfManagedAsync(builder.Namespace, builder.DeploymentName, ObjectOperations.DisruptionBudgets(client), cancellationToken);
        }

        if (builder.Ingress() is { } ingress)
        {
            await applier.ApplyAsync(ingress, ObjectOperations.Ingresses(client), cancellationToken);
        }
        else
        {
            await applier.DeleteIfManagedAsync(builder.Namespace, builder.DeploymentName, ObjectOperations.Ingresses(client), cancellationToken);
        }
    }
}
