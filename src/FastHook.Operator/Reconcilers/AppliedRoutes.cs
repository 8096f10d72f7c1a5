using FastHook.Api.Manifests;

namespace FastHook.Operator.Reconcilers;

/// <summary>
/// The resources ("Kind namespace/name") in the routing ConfigMap the operator last wrote, so that a resource
/// is reported Ready only once the gateway can load it.
/// </summary>
public sealed class AppliedRoutes
{
    private readonly object _lock = new();
    private HashSet<string> _applied = new(StringComparer.Ordinal);

    public bool Contains(string kind, string qualifiedName)
    {
        lock (_lock)
        {
            return _applied.Contains(ManifestSet.Describe(kind, qualifiedName));
        }
    }

    /// <summary>Records the resources of a written ConfigMap; returns those that were added or removed.</summary>
    public IReadOnlyList<string> Replace(ManifestSet written)
    {
        var next = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in written.Sources)
        {
            next.Add(ManifestSet.Describe(source.Kind, source.QualifiedName));
        }

        foreach (var destination in written.Destinations)
        {
            next.Add(ManifestSet.Describe(destination.Kind, destination.QualifiedName));
        }

        foreach (var connection in written.Connections)
        {
            next.Add(ManifestSet.Describe(connection.Kind, connection.QualifiedName));
        }

        lock (_lock)
        {
            var changed = next.Except(_applied).Concat(_applied.Except(next)).ToList();
            _applied = next;
            return changed;
        }
    }
}
