namespace FastHook.KubeEmulator.Testing;

/// <summary>
/// One request the emulator served, with the Kubernetes verb and resource it addressed, for tests that check
/// which calls an operator makes (and so which RBAC rules it needs).
/// </summary>
/// <param name="Verb">The Kubernetes verb: get, list, watch, create, update, patch, delete or deletecollection; "get" for discovery.</param>
/// <param name="Group">The API group, empty for the core group and for non-resource paths.</param>
/// <param name="Resource">The plural resource name, empty for non-resource paths such as /apis.</param>
/// <param name="StatusCode">The HTTP status sent; 200 for a watch stream that started.</param>
public sealed record RecordedRequest(
    DateTimeOffset Time,
    string Verb,
    string Method,
    string Path,
    string Query,
    string? UserAgent,
    string Group,
    string Version,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    int StatusCode)
{
    /// <summary>The resource as RBAC rules name it, with the subresource after a slash, such as "connections/status".</summary>
    public string RbacResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";
}

/// <summary>
/// A verb on a resource of an API group, the unit an RBAC rule grants.
/// </summary>
public sealed record ResourceVerb(string Group, string Resource, string Verb);
