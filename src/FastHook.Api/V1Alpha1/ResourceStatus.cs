namespace FastHook.Api.V1Alpha1;

/// <summary>
/// The status fields every FastHook resource has.
/// </summary>
public class ResourceStatus
{
    public long? ObservedGeneration { get; set; }

    public IList<ResourceCondition> Conditions { get; set; } = [];
}
