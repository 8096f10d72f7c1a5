namespace FastHook.Gateway.Storage;

/// <summary>
/// An event's stored state, as inspection shows it.
/// </summary>
public sealed record StoredEvent
{
    public required string Id { get; init; }

    public required string RequestId { get; init; }

    public required string Source { get; init; }

    /// <summary>pending, scheduled, delivered or deadLettered.</summary>
    public required string State { get; init; }

    public required int Attempts { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public int? LastStatus { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? NextAttemptAt { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public DateTimeOffset? DeadLetteredAt { get; init; }

    public string? DeadLetterReason { get; init; }

    /// <summary>How many times the event was retried by hand or replayed.</summary>
    public int Replays { get; init; }
}

/// <summary>
/// The state names events move through.
/// </summary>
public static class EventStates
{
    public const string Pending = "pending";
    public const string Scheduled = "scheduled";
    public const string Delivered = "delivered";
    public const string DeadLettered = "deadLettered";
}
