namespace FastHook.Gateway.Storage;

/// <summary>
/// One event a router creates: its id, its request and when that was received, and its ordering key on an
/// ordered connection (null otherwise).
/// </summary>
public readonly record struct RoutedEvent(string EventId, string RequestId, long ReceivedAtMs, string? OrderingKey);
