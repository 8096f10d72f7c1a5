namespace FastHook.Gateway.Storage;

/// <summary>
/// One entry of a connection's dead-letter stream.
/// </summary>
public sealed record DeadLetterEntry
{
    public required string Id { get; init; }

    /// <summary>The event id; empty for an entry Redis lost while it was pending.</summary>
    public required string EventId { get; init; }

    public required string RequestId { get; init; }

    public required int Attempts { get; init; }

    /// <summary>exhausted, a non-retried outcome such as clientError, requestMissing, transformFailed, or lost.</summary>
    public required string Reason { get; init; }

    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public required DateTimeOffset DeadLetteredAt { get; init; }
}
