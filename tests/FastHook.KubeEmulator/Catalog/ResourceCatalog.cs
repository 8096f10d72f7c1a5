namespace FastHook.KubeEmulator.Catalog;

/// <summary>
/// The types the emulator serves: the built-in ones and those registered by CustomResourceDefinitions.
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly Lock _lock = new();
    private readonly List<ResourceType> _types = [.. BuiltInResources.All];

    public IReadOnlyList<ResourceType> Snapshot()
    {
        lock (_lock)
        {
            return [.. _types];
        }
    }

    /// <summary>Finds the type served at /apis/{group}/{version}/{plural}, or null when none is.</summary>
    public ResourceType? Find(string group, string version, string plural)
    {
        lock (_lock)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Plural == plural && t.Serves(version));
        }
    }

    /// <summary>Finds a type by group and plural, whatever versions it serves.</summary>
    public ResourceType? FindByGroupResource(string group, string plural)
    {
        lock (_lock)
        {
            return _types.FirstOrDefault(t => t.Group == group && t.Plural == plural);
        }
    }

    /// <summary>Adds a custom type, replacing the one with the same group and plural.</summary>
    public void Register(ResourceType type)
    {
        lock (_lock)
        {
            _types.RemoveAll(t => t.IsCustom && t.Group == type.Group && t.Plural == type.Plural);
            _types.Add(type);
        }
    }

    public void Unregister(string group, string plural)
    {
        lock (_lock)
        {
            _types.RemoveAll(t => t.IsCustom && t.Group == group && t.Plural == plural);
        }
    }

    public bool ServesGroupVersion(string group, string version)
    {
        lock (_lock)
        {
            return _types.Any(t => t.Group == group && t.Serves(version));
        }
    }
}
