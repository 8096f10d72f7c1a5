using FastHook.Api.V1Alpha1;

namespace FastHook.Api;

/// <summary>
/// The ingest path of a source.
/// </summary>
public static class SourcePaths
{
    /// <summary>Returns <c>spec.path</c>, or "/e/{namespace}/{name}" when it is unset.</summary>
    public static string Of(WebhookSource source) =>
        string.IsNullOrEmpty(source.Spec.Path) ? $"/e/{source.Namespace}/{source.Name}" : source.Spec.Path;
}
