using k8s.Models;

namespace FastHook.Operator.Resources;

/// <summary>
/// A list of custom resources as the API server returns it.
/// </summary>
public sealed class ResourceList<T>
{
    public V1ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}
