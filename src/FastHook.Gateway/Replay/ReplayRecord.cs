namespace FastHook.Gateway.Replay;

/// <summary>
/// A named replay request with its progress and result.
/// </summary>
public sealed record ReplayRecord
{
    public required string Name { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Which events are replayed: deadLettered, failed (dead-lettered or waiting for a retry) or all.</summary>
    public required string State { get; init; }

    /// <summary>Pending, Running, Succeeded or Failed.</summary>
    public required string Phase { get; init; }

    /// <summary>Events in the time range whose state matched.</summary>
    public required long Matched { get; init; }

    /// <summary>Matched events put back into delivery; an event already waiting is matched but not enqueued again.</summary>
    public required long Enqueued { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public string? Message { get; init; }
}

/// <summary>
/// The values of <see cref="ReplayRecord.State"/> and <see cref="ReplayRecord.Phase"/>.
/// </summary>
public static class ReplayValues
{
    public static readonly IReadOnlyList<string> States = ["deadLettered", "failed", "all"];

    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}
