namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A standard Kubernetes condition as it appears in a resource's status.
/// </summary>
public sealed class ResourceCondition
{
    public string Type { get; set; } = "";

    /// <summary>"True", "False" or "Unknown".</summary>
    public string Status { get; set; } = "Unknown";

    /// <summary>A CamelCase reason a program can switch on.</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? LastTransitionTime { get; set; }

    public long? ObservedGeneration { get; set; }
}
