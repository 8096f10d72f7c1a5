namespace FastHook.Api.Schema;

/// <summary>
/// Declares a list of objects as a map keyed by the named properties, so that the API server rejects two items
/// with the same key and merges the list by key on server-side apply. Each key property must be required.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdListMapAttribute(params string[] keys) : Attribute
{
    /// <summary>The JSON names of the key properties.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}
