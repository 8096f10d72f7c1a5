namespace FastHook.Gateway.Transformation;

/// <summary>
/// Why a transform run failed: the reason label of fasthook_transform_failures_total.
/// </summary>
public static class TransformFailures
{
    /// <summary>The dead-letter reason of an event whose transform failed, and the outcome of its recorded attempt.</summary>
    public const string DeadLetterReason = "transformFailed";

    /// <summary>The script threw, or referred to something undefined.</summary>
    public const string Error = "error";

    /// <summary>The run took longer than spec.transform.timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The run allocated more than spec.transform.maxMemoryBytes, or its result would have.</summary>
    public const string MemoryLimit = "memoryLimit";

    /// <summary>Function calls nested deeper than spec.transform.maxRecursionDepth.</summary>
    public const string RecursionLimit = "recursionLimit";

    /// <summary>The script returned something that is not a valid delivery, or defined no transform function.</summary>
    public const string InvalidResult = "invalidResult";
}

/// <summary>
/// The result of one transform run: the request to deliver, or the failure reason and message.
/// </summary>
public sealed record TransformOutcome(TransformedRequest? Request, string? FailureReason, string? Error, TimeSpan Duration)
{
    public bool Succeeded => Request is not null;
}

/// <summary>
/// Thrown from inside the sandbox for a result the gateway cannot deliver. It is a CLR exception, so the script
/// cannot catch it.
/// </summary>
public sealed class InvalidTransformResultException : Exception
{
    public InvalidTransformResultException()
    {
    }

    public InvalidTransformResultException(string message)
        : base(message)
    {
    }

    public InvalidTransformResultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
