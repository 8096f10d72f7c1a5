using Microsoft.AspNetCore.Http;

namespace FastHook.Gateway.Verification;

/// <summary>
/// A request as the provider sent it, with its raw body, as verifiers see it.
/// </summary>
public sealed class IncomingRequest(string method, string path, QueryString query, IHeaderDictionary headers, ReadOnlyMemory<byte> body, DateTimeOffset receivedAt)
{
    public string Method { get; } = method;

    public string Path { get; } = path;

    public QueryString Query { get; } = query;

    public IHeaderDictionary Headers { get; } = headers;

    /// <summary>The body bytes exactly as received; signatures are computed over these, never over a re-serialized copy.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    public DateTimeOffset ReceivedAt { get; } = receivedAt;
}
