namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A key of a Secret in the same namespace as the resource that names it.
/// </summary>
public sealed class SecretKeyReference
{
    public string? Name { get; set; }

    public string? Key { get; set; }

    public override string ToString() => $"{Name}/{Key}";
}
