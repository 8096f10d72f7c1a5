namespace FastHook.Operator.Redis;

/// <summary>
/// One delivery attempt as a gateway recorded it for an event of <see cref="Connection"/>. Status is the HTTP
/// status, or null when no response came.
/// </summary>
public readonly record struct DeliveryAttempt(string Connection, DateTimeOffset StartedAt, bool Succeeded, int? Status, string? Error);

/// <summary>Whether the sampled attempts to a destination succeed.</summary>
public enum DeliveryState
{
    /// <summary>No attempt is recorded.</summary>
    NoAttempts,

    /// <summary>At least one attempt in the window succeeded.</summary>
    Succeeding,

    /// <summary>Every attempt in the window failed.</summary>
    Failing,
}

/// <summary>
/// The delivery state of one destination, judged from the attempts in <see cref="Window"/> before the latest
/// attempt. The window ends at the latest attempt rather than now, so a destination whose last attempts failed
/// stays failing between two retries, however far apart they are.
/// </summary>
public sealed record DeliveryHealth(DeliveryState State, int AttemptsInWindow, int FailedInWindow, DeliveryAttempt? Latest)
{
    /// <summary>How far before the latest attempt the attempts that decide the state reach.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Judges the state from <paramref name="attempts"/> in any order.</summary>
    public static DeliveryHealth Evaluate(IEnumerable<DeliveryAttempt> attempts)
    {
        var all = attempts.ToList();
        if (all.Count == 0)
        {
            return new DeliveryHealth(DeliveryState.NoAttempts, 0, 0, null);
        }

        var latest = all.MaxBy(attempt => attempt.StartedAt);
        var inWindow = all.Where(attempt => attempt.StartedAt >= latest.StartedAt - Window).ToList();
        var failed = inWindow.Count(attempt => !attempt.Succeeded);
        var state = failed == inWindow.Count ? DeliveryState.Failing : DeliveryState.Succeeding;
        return new DeliveryHealth(state, inWindow.Count, failed, latest);
    }
}
