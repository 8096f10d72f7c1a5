namespace FastHook.Gateway.Storage;

/// <summary>
/// A captured request as stored in its source's stream.
/// </summary>
public sealed class StoredRequest
{
    /// <summary>The stream entry id, "{unix ms}-{sequence}".</summary>
    public required string Id { get; init; }

    public required string Method { get; init; }

    public required string Path { get; init; }

    public required string Query { get; init; }

    /// <summary>Headers in the order received; a name that came several times appears several times.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public required string Verification { get; init; }

    public DateTimeOffset ReceivedAt => DateTimeOffset.FromUnixTimeMilliseconds(StreamIds.Milliseconds(Id));

    public string? Header(string name) =>
        Headers.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
