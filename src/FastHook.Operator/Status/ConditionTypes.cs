namespace FastHook.Operator.Status;

/// <summary>
/// The condition types the operator sets on FastHook resources.
/// </summary>
public static class ConditionTypes
{
    /// <summary>The summary: the resource is valid, its references resolve, and it is in the gateway's configuration.</summary>
    public const string Ready = "Ready";

    /// <summary>The spec passes the same checks the gateway runs on manifests.</summary>
    public const string Valid = "Valid";

    /// <summary>Every referenced Secret exists and has the referenced key.</summary>
    public const string SecretResolved = "SecretResolved";

    /// <summary>A connection's source exists and is valid.</summary>
    public const string SourceResolved = "SourceResolved";

    /// <summary>A connection's destination exists and is valid.</summary>
    public const string DestinationResolved = "DestinationResolved";

    /// <summary>A connection's delivery is paused by <c>spec.paused</c>.</summary>
    public const string Paused = "Paused";

    /// <summary>
    /// Whether deliveries to a destination succeed, from the attempts the gateways recorded in Redis: False while
    /// its circuit breaker is open or while every recent attempt failed, Unknown before any attempt. It does not
    /// change Ready, which is about the configuration.
    /// </summary>
    public const string Delivering = "Delivering";
}
