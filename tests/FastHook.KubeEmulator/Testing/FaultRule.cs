namespace FastHook.KubeEmulator.Testing;

/// <summary>
/// Makes the next <see cref="Count"/> matching requests fail with <see cref="StatusCode"/> and a Status body,
/// before the emulator looks at the object.
/// </summary>
public sealed record FaultRule
{
    /// <summary>The kind to fail, such as "Connection" or "Secret".</summary>
    public required string Kind { get; init; }

    public required int Count { get; init; }

    /// <summary>The HTTP status to return, such as 409 or 500.</summary>
    public required int StatusCode { get; init; }

    /// <summary>The Kubernetes verbs to fail. Null means every write: create, update, patch, delete and deletecollection.</summary>
    public IReadOnlySet<string>? Verbs { get; init; }

    /// <summary>The subresource to fail, such as "status". Null matches the main resource and every subresource, and "" only the main resource.</summary>
    public string? Subresource { get; init; }
}
