using FastHook.Api.V1Alpha1;
using FastHook.Operator.Reconcilers;
using k8s.Models;

namespace FastHook.Operator.Hosting;

/// <summary>
/// Turns cache changes into work queue keys: the changed resource, the resources whose status depends on it,
/// and the gateway, whose configuration contains them all.
/// </summary>
public sealed partial class OperatorHost
{
    private void WireEvents()
    {
        foreach (var informer in _sources)
        {
            informer.Changed += (before, after) =>
            {
                var source = after ?? before!;

                // Paths must be unique across sources, so a change to one can change another's validity.
                foreach (var other in _sources.SelectMany(each => each.Items))
                {
                    _queue.Add(KeyOf(WebhookSource.KindName, other.Metadata.NamespaceProperty, other.Metadata.Name));
                }

                _queue.Add(KeyOf(WebhookSource.KindName, source.Metadata.NamespaceProperty, source.Metadata.Name));
                EnqueueConnections(connection => connection.Namespace == source.Namespace && connection.Spec.SourceRef?.Name == source.Name);
                _queue.Add(GatewayReconciler.Key);
            };
        }

        foreach (var informer in _destinations)
        {
            informer.Changed += (before, after) =>
            {
                var destination = after ?? before!;
                _queue.Add(KeyOf(Destination.KindName, destination.Metadata.NamespaceProperty, destination.Metadata.Name));
                EnqueueConnections(connection => connection.Namespace == destination.Namespace && connection.Spec.DestinationRef?.Name == destination.Name);
                _queue.Add(GatewayReconciler.Key);
            };
        }

        foreach (var informer in _connections)
        {
            informer.Changed += (before, after) =>
            {
                var connection = after ?? before!;
                _queue.Add(KeyOf(Connection.KindName, connection.Metadata.NamespaceProperty, connection.Metadata.Name));
                _queue.Add(GatewayReconciler.Key);
            };
        }

        foreach (var informer in _secrets)
        {
            informer.Changed += (before, after) => OnSecretChanged(after ?? before!);
        }
    }

    private void OnSecretChanged(V1Secret secret)
    {
        var ns = secret.Metadata.NamespaceProperty;
        var name = secret.Metadata.Name;
        bool References(k8s.IKubernetesObject<V1ObjectMeta> resource) =>
            RouteAnalysis.SecretReferences(resource).Any(reference => reference.Namespace == ns && reference.Name == name);

        var referenced = false;
        foreach (var source in _sources.SelectMany(informer => informer.Items).Where(References))
        {
            _queue.Add(KeyOf(WebhookSource.KindName, source.Metadata.NamespaceProperty, source.Metadata.Name));
            EnqueueConnections(connection => connection.Namespace == source.Namespace && connection.Spec.SourceRef?.Name == source.Name);
            referenced = true;
        }

        foreach (var destination in _destinations.SelectMany(informer => informer.Items).Where(References))
        {
            _queue.Add(KeyOf(Destination.KindName, destination.Metadata.NamespaceProperty, destination.Metadata.Name));
            EnqueueConnections(connection => connection.Namespace == destination.Namespace && connection.Spec.DestinationRef?.Name == destination.Name);
            referenced = true;
        }

        if (referenced)
        {
            _queue.Add(GatewayReconciler.Key);
        }
    }

    private void EnqueueConnections(Func<Connection, bool> predicate)
    {
        foreach (var connection in _connections.SelectMany(informer => informer.Items).Where(predicate))
        {
            _queue.Add(KeyOf(Connection.KindName, connection.Metadata.NamespaceProperty, connection.Metadata.Name));
        }
    }
}
