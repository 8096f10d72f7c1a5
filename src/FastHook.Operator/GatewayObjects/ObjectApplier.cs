using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace FastHook.Operator.GatewayObjects;

/// <summary>
/// Creates or updates one object so it matches the desired one, writing nothing when the stored object already
/// carries the desired hash. An object of the same name without the operator's label is left alone.
/// </summary>
public sealed partial class ObjectApplier(ILogger<ObjectApplier> logger)
{
    /// <summary>Writes sent, for tests that check a second reconcile with the same inputs writes nothing.</summary>
    public int Writes => Volatile.Read(ref _writes);

    private int _writes;

    public async Task<ApplyOutcome> ApplyAsync<T>(T desired, ObjectOperations<T> operations, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var ns = desired.Metadata.NamespaceProperty;
        var name = desired.Metadata.Name;
        T? existing;
        try
        {
            existing = await operations.ReadAsync(ns, name, cancellationToken);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            existing = null;
        }

        if (existing is null)
        {
            Interlocked.Increment(ref _writes);
            await operations.CreateAsync(desired, ns, cancellationToken);
            Log.Created(logger, desired.Kind, ns, name);
            return ApplyOutcome.Created;
        }

        if (!IsManaged(existing))
        {
            Log.NotManaged(logger, desired.Kind, ns, name, GatewayObjectBuilder.ManagedByLabel, GatewayObjectBuilder.ManagedByValue);
            return ApplyOutcome.NotManaged;
        }

        var desiredHash = desired.Metadata.Annotations?[GatewayObjectBuilder.DesiredHashAnnotation];
        if (existing.Metadata.Annotations?.TryGetValue(GatewayObjectBuilder.DesiredHashAnnotation, out var storedHash) == true && storedHash == desiredHash)
        {
            return ApplyOutcome.Unchanged;
        }

        desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
        operations.PrepareUpdate?.Invoke(existing, desired);
        Interlocked.Increment(ref _writes);
        await operations.ReplaceAsync(desired, ns, name, cancellationToken);
        Log.Updated(logger, desired.Kind, ns, name);
        return ApplyOutcome.Updated;
    }

    /// <summary>Deletes an object the settings no longer ask for, when it is the operator's.</summary>
    public async Task DeleteIfManagedAsync<T>(string ns, string name, ObjectOperations<T> operations, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        T existing;
        try
        {
            existing = await operations.ReadAsync(ns, name, cancellationToken);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        if (IsManaged(existing) && operations.DeleteAsync is { } delete)
        {
            Interlocked.Increment(ref _writes);
            await delete(ns, name, cancellationToken);
        }
    }

    public static bool IsManaged(IKubernetesObject<V1ObjectMeta> value) =>
        value.Metadata.Labels?.TryGetValue(GatewayObjectBuilder.ManagedByLabel, out var managedBy) == true && managedBy == GatewayObjectBuilder.ManagedByValue;

    private static partial class Log
    {
        [LoggerMessage(301, LogLevel.Information, "Created {Kind} {Namespace}/{Name}")]
        public static partial void Created(ILogger logger, string kind, string @namespace, string name);

        [LoggerMessage(302, LogLevel.Information, "Updated {Kind} {Namespace}/{Name}")]
        public static partial void Updated(ILogger logger, string kind, string @namespace, string name);

        [LoggerMessage(303, LogLevel.Error, "{Kind} {Namespace}/{Name} exists without the label {Label}={Value}, so the operator leaves it alone: delete it or choose another instance name")]
        public static partial void NotManaged(ILogger logger, string kind, string @namespace, string name, string label, string value);
    }
}

public enum ApplyOutcome
{
    Unchanged,
    Created,
    Updated,
    NotManaged,
}

/// <summary>
/// The client calls for one kind of object.
/// </summary>
public sealed class ObjectOperations<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public required Func<string, string, CancellationToken, Task<T>> ReadAsync { get; init; }

    public required Func<T, string, CancellationToken, Task<T>> CreateAsync { get; init; }

    public required Func<T, string, string, CancellationToken, Task<T>> ReplaceAsync { get; init; }

    public Func<string, string, CancellationToken, Task>? DeleteAsync { get; init; }

    /// <summary>Copies fields the server assigns (a Service's cluster IP) from the stored object to the desired one.</summary>
    public Action<T, T>? PrepareUpdate { get; init; }
}

/// <summary>
/// The client calls for the kinds of object the operator writes in the gateway namespace.
/// </summary>
public static class ObjectOperations
{
    public static ObjectOperations<V1ConfigMap> ConfigMaps(IKubernetes client) => new()
    {
        ReadAsync = (ns, name, ct) => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct),
        CreateAsync = (value, ns, ct) => client.CoreV1.CreateNamespacedConfigMapAsync(value, ns, cancellationToken: ct),
        ReplaceAsync = (value, ns, name, ct) => client.CoreV1.ReplaceNamespacedConfigMapAsync(value, name, ns, cancellationToken: ct),
    };

    public static ObjectOperations<V1Secret> Secrets(IKubernetes client) => new()
    {
        ReadAsync = (ns, name, ct) => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct),
        CreateAsync = (value, ns, ct) => client.CoreV1.CreateNamespacedSecretAsync(value, ns, cancellationToken: ct),
        ReplaceAsync = (value, ns, name, ct) => client.CoreV1.ReplaceNamespacedSecretAsync(value, name, ns, cancellationToken: ct),
    };

    public static ObjectOperations<V1Deployment> Deployments(IKubernetes client) => new()
    {
        ReadAsync = (ns, name, ct) => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: ct),
        CreateAsync = (value, ns, ct) => client.AppsV1.CreateNamespacedDeploymentAsync(value, ns, cancellationToken: ct),
        ReplaceAsync = (value, ns, name, ct) => client.AppsV1.ReplaceNamespacedDeploymentAsync(value, name, ns, cancellationToken: ct),
    };

    public static ObjectOperations<V1Service> Services(IKubernetes client) => new()
    {
        ReadAsync = (ns, name, ct) => client.CoreV1.ReadNamespacedServiceAsync(name, ns, cancellationToken: ct),
        CreateAsync = (value, ns, ct) => client.CoreV1.CreateNamespacedServiceAsync(value, ns, cancellationToken: ct),
        ReplaceAsync = (value, ns, name, ct) => client.CoreV1.ReplaceNamespacedServiceAsync(value, name, ns, cancellationToken: ct),
        PrepareUpdate = (stored, desired) =>
        {
            desired.Spec.ClusterIP = stored.Spec?.ClusterIP;
            desired.Spec.ClusterIPs = stored.Spec?.ClusterIPs;
        },
    };

    public static ObjectOperations<V1PodDisruptionBudget> DisruptionBudgets(IKubernetes client) => new()
    {
        ReadAsync = (ns, name, ct) => client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct),
        CreateAsync = (value, ns, ct) => client.PolicyV1.CreateNamespacedPodDisruptionBudgetAsync(value, ns, cancellationToken: ct),
        ReplaceAsync = (value, ns, name, ct) => client.PolicyV1.ReplaceNamespacedPodDisruptionBudgetAsync(value, name, ns, cancellationToken: ct),
        DeleteAsync = (ns, name, ct) => client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(name, ns, cancellationToken: ct),
    };

    public static ObjectOperations<V1Ingress> Ingresses(IKubernetes client) => new()
    {
        ReadAsync = (ns, name, ct) => client.NetworkingV1.ReadNamespacedIngressAsync(name, ns, cancellationToken: ct),
        CreateAsync = (value, ns, ct) => client.NetworkingV1.CreateNamespacedIngressAsync(value, ns, cancellationToken: ct),
        ReplaceAsync = (value, ns, name, ct) => client.NetworkingV1.ReplaceNamespacedIngressAsync(value, name, ns, cancellationToken: ct),
        DeleteAsync = (ns, name, ct) => client.NetworkingV1.DeleteNamespacedIngressAsync(name, ns, cancellationToken: ct),
    };
}
