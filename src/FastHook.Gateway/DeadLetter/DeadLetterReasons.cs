namespace FastHook.Gateway.DeadLetter;

/// <summary>
/// Why an event was dead-lettered. Besides these, a retry outcome not listed in <c>spec.retry.retryOn</c>
/// (such as clientError) is itself the reason, and a transformation that fails gives "transformFailed"
/// (<see cref="Transformation.TransformFailures.DeadLetterReason"/>).
/// </summary>
public static class DeadLetterReasons
{
    /// <summary>Every attempt allowed by <c>spec.retry.maxAttempts</c> failed with a retried outcome.</summary>
    public const string Exhausted = "exhausted";

    /// <summary>The event's request was no longer stored when it was due for delivery.</summary>
    public const string RequestMissing = "requestMissing";

    /// <summary>Redis reported the event's stream entry as deleted or trimmed while it was pending.</summary>
    public const string Lost = "lost";
}
