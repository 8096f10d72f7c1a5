namespace FastHook.Gateway.Storage;

/// <summary>
/// One try to deliver an event, as recorded in the event's attempt list.
/// </summary>
public sealed record AttemptRecord
{
    /// <summary>The attempt number within the current delivery round, from 1.</summary>
    public required int Attempt { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required double DurationMs { get; init; }

    /// <summary>The response status, or null when no response came.</summary>
    public int? Status { get; init; }

    /// <summary>success, or a retry outcome name such as serverError or timeout.</summary>
    public required string Outcome { get; init; }

    /// <summary>What went wrong, without any secret; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>The start of the response body, cut to the configured excerpt size.</summary>
    public string? ResponseExcerpt { get; init; }

    /// <summary>The gateway process that made the attempt.</summary>
    public string? Consumer { get; init; }
}
