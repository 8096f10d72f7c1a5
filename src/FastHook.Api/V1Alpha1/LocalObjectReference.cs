namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A reference to another resource in the same namespace, by name.
/// </summary>
public sealed class LocalObjectReference
{
    public string? Name { get; set; }
}
