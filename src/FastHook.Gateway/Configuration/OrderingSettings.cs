namespace FastHook.Gateway.Configuration;

/// <summary>
/// Where an ordered connection reads each event's ordering key: a header, a JSON body field as a dotted path
/// split into segments, or neither, which puts every event of the connection under one key.
/// </summary>
public sealed record OrderingSettings(string? Header, IReadOnlyList<string>? JsonPath);
