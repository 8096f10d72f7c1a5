using System.Collections.Immutable;
using FastHook.Gateway.Deduplication;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Verification;

namespace FastHook.Gateway.Configuration;

/// <summary>
/// A source ready for ingest: its path, limits, verifier, response and the connections it routes to.
/// </summary>
public sealed class SourceRoute
{
    public required string Name { get; init; }

    public required string Path { get; init; }

    public required IReadOnlySet<string> AllowedMethods { get; init; }

    public required long MaxBodyBytes { get; init; }

    public required IRequestVerifier Verifier { get; init; }

    public required int ResponseStatusCode { get; init; }

    public required string ResponseContentType { get; init; }

    public required byte[] ResponseBody { get; init; }

    public required TimeSpan Retention { get; init; }

    public required SourceKeys Keys { get; init; }

    /// <summary>How redeliveries of a captured request are recognised; null when the source does not deduplicate.</summary>
    public DeduplicationPolicy? Deduplication { get; init; }

    public ImmutableArray<ConnectionRoute> Connections { get; set; } = [];
}
