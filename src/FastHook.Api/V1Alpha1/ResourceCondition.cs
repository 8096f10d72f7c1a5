using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A standard Kubernetes condition as it appears in a resource's status.
/// </summary>
/// <remarks>The schema limits are those of Kubernetes' own metav1.Condition.</remarks>
[Description("One aspect of the resource's state.")]
public sealed class ResourceCondition
{
    [Description("The aspect this condition describes, in CamelCase, such as Ready.")]
    [Required]
    [RegularExpression(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    [MaxLength(316)]
    public string Type { get; set; } = "";

    /// <summary>"True", "False" or "Unknown".</summary>
    [Description("True, False or Unknown.")]
    [Required]
    [CrdEnum("True", "False", "Unknown")]
    public string Status { get; set; } = "Unknown";

    /// <summary>A CamelCase reason a program can switch on.</summary>
    [Description("Why the condition has its status, in CamelCase, for programs to switch on.")]
    [RegularExpression("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    [MaxLength(1024)]
    public string? Reason { get; set; }

    [Description("Why the condition has its status, for people.")]
    [MaxLength(32768)]
    public string? Message { get; set; }

    [Description("When the status last changed.")]
    public DateTimeOffset? LastTransitionTime { get; set; }

    [Description("The metadata.generation the condition was set for.")]
    public long? ObservedGeneration { get; set; }
}
