using System.Collections.Frozen;

namespace FastHook.Gateway.Configuration;

/// <summary>
/// The gateway's whole routing configuration at one moment; replaced as a unit when the manifests change.
/// </summary>
public sealed class RouteTable(
    FrozenDictionary<string, SourceRoute> sourcesByPath,
    FrozenDictionary<string, SourceRoute> sources,
    FrozenDictionary<string, ConnectionRoute> connections,
    FrozenDictionary<string, DestinationTarget> destinations)
{
    public static RouteTable Empty { get; } = new(
        FrozenDictionary<string, SourceRoute>.Empty,
        FrozenDictionary<string, SourceRoute>.Empty,
        FrozenDictionary<string, ConnectionRoute>.Empty,
        FrozenDictionary<string, DestinationTarget>.Empty);

    public FrozenDictionary<string, SourceRoute> SourcesByPath { get; } = sourcesByPath;

    /// <summary>Sources by "namespace/name".</summary>
    public FrozenDictionary<string, SourceRoute> Sources { get; } = sources;

    /// <summary>Connections by "namespace/name".</summary>
    public FrozenDictionary<string, ConnectionRoute> Connections { get; } = connections;

    /// <summary>Destinations by "namespace/name".</summary>
    public FrozenDictionary<string, DestinationTarget> Destinations { get; } = destinations;
}
