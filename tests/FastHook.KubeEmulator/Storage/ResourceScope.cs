using FastHook.KubeEmulator.Catalog;

namespace FastHook.KubeEmulator.Storage;

/// <summary>
/// What a request addresses: a type, the version it was requested in, and the namespace from the URL
/// (null for cluster-scoped types and for lists across all namespaces).
/// </summary>
internal sealed record ResourceScope(ResourceType Type, string Version, string? Namespace);

/// <summary>
/// The HTTP status and body a write returns.
/// </summary>
internal sealed record WriteResult(int StatusCode, System.Text.Json.Nodes.JsonObject Body);

/// <summary>
/// The patch formats the API server accepts, chosen by the request's Content-Type.
/// </summary>
internal enum PatchKind
{
    Merge,
    Json,
    StrategicMerge,
    Apply,
}

/// <summary>
/// A PATCH request body with its format and, for server-side apply, the field manager and force flag.
/// </summary>
internal sealed record PatchRequest(PatchKind Kind, string Body, string? FieldManager, bool Force);

/// <summary>
/// The DeleteOptions the emulator honours: the propagation policy and the uid and resourceVersion preconditions.
/// </summary>
internal sealed record DeleteRequest(string? PropagationPolicy, string? PreconditionUid, string? PreconditionResourceVersion)
{
    public static DeleteRequest Default { get; } = new(null, null, null);
}
