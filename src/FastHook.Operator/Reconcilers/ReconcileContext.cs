using FastHook.Api.V1Alpha1;
using FastHook.Operator.Events;
using FastHook.Operator.GatewayObjects;
using FastHook.Operator.Hosting;
using FastHook.Operator.Redis;
using FastHook.Operator.Status;
using k8s;
using k8s.Models;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// What the reconcilers share: the client, the caches, the status writer, the event recorder and the settings.
/// </summary>
public sealed class ReconcileContext
{
    public required IKubernetes Client { get; init; }

    public required ResourceCache Cache { get; init; }

    public required StatusWriter Status { get; init; }

    public required EventRecorder Events { get; init; }

    public required GatewayObjectBuilder Gateway { get; init; }

    public required OperatorMetrics Metrics { get; init; }

    public required OperatorOptions Options { get; init; }

    public required TimeProvider Clock { get; init; }

    public required AppliedRoutes Applied { get; init; }

    /// <summary>The gateway's Redis; null when the operator has no Redis URL, so counters and replays are not served.</summary>
    public ConnectionData? Data { get; init; }

    /// <summary>
    /// Finishes a status: sets Ready from the other conditions and observedGeneration, and records an Event and
    /// the ready metric when readiness changes.
    /// </summary>
    public void SetReady(ResourceStatus status, string kind, string qualifiedName, bool ready, string message, long? generation, DateTimeOffset now)
    {
        status.ObservedGeneration = generation;
        if (ready && Applied.Contains(kind, qualifiedName))
        {
            Conditions.Set(status.Conditions, ConditionTypes.Ready, true, "Configured", message, generation, now);
            return;
        }

        if (ready)
        {
            Conditions.Set(status.Conditions, ConditionTypes.Ready, false, "ConfigurationPending",
                $"Waiting for the operator to write the gateway's routing ConfigMap {Gateway.Namespace}/{Gateway.RoutesConfigMapName}", generation, now);
            return;
        }

        var failing = status.Conditions.FirstOrDefault(condition => condition.Type != ConditionTypes.Ready && condition.Type != ConditionTypes.Paused && condition.Status == "False");
        Conditions.Set(status.Conditions, ConditionTypes.Ready, false, failing?.Reason ?? "NotReady", failing?.Message ?? message, generation, now);
    }

    /// <summary>Records the readiness of a resource after a status update: the metric always, an Event when it changed.</summary>
    public async Task ReportReadinessAsync(IKubernetesObject<V1ObjectMeta> resource, IEnumerable<ResourceCondition> before, IEnumerable<ResourceCondition> after, CancellationToken cancellationToken)
    {
        var wasReady = Conditions.IsTrue(before, ConditionTypes.Ready);
        var ready = after.FirstOrDefault(condition => condition.Type == ConditionTypes.Ready);
        var isReady = ready?.Status == "True";
        Metrics.SetReady(resource.Kind, resource.Metadata.NamespaceProperty, resource.Metadata.Name, isReady);

        var hadReady = before.Any(condition => condition.Type == ConditionTypes.Ready);
        // A resource waits for the ConfigMap write only for a moment, which is not worth an Event.
        if (ready is null || (hadReady && wasReady == isReady) || ready.Reason == "ConfigurationPending")
        {
            return;
        }

        await Events.RecordAsync(resource, isReady ? "Normal" : "Warning", ready.Reason ?? (isReady ? "Configured" : "NotReady"), ready.Message ?? "", cancellationToken);
    }
}
