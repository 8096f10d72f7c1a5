using k8s;
using k8s.Models;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A namespaced FastHook custom resource with a spec and a status.
/// </summary>
public abstract class FastHookResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
    where TStatus : new()
{
    public string ApiVersion { get; set; } = V1Alpha1.ApiGroup.ApiVersion;

    public abstract string Kind { get; set; }

    public V1ObjectMeta Metadata { get; set; } = new();

    public TSpec Spec { get; set; } = new();

    public TStatus Status { get; set; } = new();

    /// <summary>The resource's namespace, "default" when the manifest names none, as kubectl does.</summary>
    public string Namespace => string.IsNullOrEmpty(Metadata.NamespaceProperty) ? "default" : Metadata.NamespaceProperty;

    public string Name => Metadata.Name ?? "";

    /// <summary>The resource's "namespace/name", the form logs, metrics and Redis keys use.</summary>
    public string QualifiedName => $"{Namespace}/{Name}";
}
