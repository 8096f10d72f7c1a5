using System.ComponentModel;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// The status fields every FastHook resource has.
/// </summary>
public class ResourceStatus
{
    [Description("The metadata.generation of the spec this status describes.")]
    public long? ObservedGeneration { get; set; }

    [Description("The standard conditions, by type; Ready sums up the others.")]
    [CrdListMap("type")]
    public IList<ResourceCondition> Conditions { get; set; } = [];
}
