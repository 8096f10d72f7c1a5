namespace FastHook.Api.Manifests;

/// <summary>
/// One problem found in a manifest: the file, the resource, the field and what is allowed.
/// </summary>
public sealed record ManifestError(string File, string? Resource, string? Field, string Message)
{
    public override string ToString()
    {
        var resource = Resource is null ? "" : $" {Resource}:";
        var field = Field is null ? "" : $" {Field}:";
        return $"{File}:{resource}{field} {Message}";
    }
}
