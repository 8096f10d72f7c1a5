namespace FastHook.Gateway.Retry;

/// <summary>
/// A connection's retry rules and the delay arithmetic, which cannot overflow for any attempt number.
/// </summary>
public sealed class RetryPolicy
{
    public static readonly TimeSpan DefaultInitialDelay = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromHours(1);
    public static readonly TimeSpan DefaultMaxRetryAfter = TimeSpan.FromHours(1);
    public const int DefaultMaxAttempts = 8;

    /// <summary>The share of an exponential delay that jitter may remove, so that retries of many events spread out.</summary>
    public const double JitterFraction = 0.2;

    public required bool Exponential { get; init; }

    public required int MaxAttempts { get; init; }

    public required TimeSpan InitialDelay { get; init; }

    public required TimeSpan MaxDelay { get; init; }

    public required TimeSpan MaxRetryAfter { get; init; }

    public required IReadOnlySet<string> RetryOn { get; init; }

    /// <summary>The explicit delays of strategy schedule, in order; empty for exponential and linear.</summary>
    public IReadOnlyList<TimeSpan> Schedule { get; init; } = [];

    /// <summary>
    /// Returns the delay before the attempt after <paramref name="failedAttempt"/> (1 for the first attempt),
    /// without jitter: exponential doubles from the initial delay, linear adds it, and both stop at the maximum;
    /// a schedule takes its n-th entry and repeats the last.
    /// </summary>
    public TimeSpan BaseDelay(int failedAttempt)
    {
        var attempt = Math.Max(1, failedAttempt);
        if (Schedule.Count > 0)
        {
            return Schedule[Math.Min(attempt, Schedule.Count) - 1];
        }

        var initialTicks = InitialDelay.Ticks;
        var maxTicks = MaxDelay.Ticks;

        if (!Exponential)
        {
            // initial * attempt, computed as a comparison first so the product cannot overflow.
            return initialTicks > 0 && attempt > maxTicks / initialTicks
                ? MaxDelay
                : TimeSpan.FromTicks(Math.Min(maxTicks, initialTicks * attempt));
        }

        // initial * 2^(attempt-1): shifting past 62 bits or past maxTicks / initial is capped before it is computed.
        var exponent = attempt - 1;
        if (exponent >= 62 || initialTicks > (maxTicks >> exponent))
        {
            return MaxDelay;
        }

        return TimeSpan.FromTicks(initialTicks << exponent);
    }

    /// <summary>
    /// Returns the delay before the next attempt: the destination's Retry-After capped at <see cref="MaxRetryAfter"/>
    /// when it sent one, otherwise the base delay with up to <see cref="JitterFraction"/> removed for exponential.
    /// </summary>
    public TimeSpan NextDelay(int failedAttempt, TimeSpan? retryAfter, double random)
    {
        if (retryAfter is { } requested)
        {
            return requested < TimeSpan.Zero ? TimeSpan.Zero : (requested > MaxRetryAfter ? MaxRetryAfter : requested);
        }

        var delay = BaseDelay(failedAttempt);
        if (!Exponential || Schedule.Count > 0)
        {
            return delay;
        }

        return TimeSpan.FromTicks(delay.Ticks - (long)(delay.Ticks * JitterFraction * Math.Clamp(random, 0, 1)));
    }
}
