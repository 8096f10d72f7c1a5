namespace FastHook.Api.Schema;

/// <summary>
/// Marks a resource class as a custom resource and sets the names <c>kubectl</c> knows it by.
/// The kind comes from the class, and the group and version from <see cref="V1Alpha1.ApiGroup"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CrdNamesAttribute(string plural, string singular) : Attribute
{
    /// <summary>The lower-case plural name, which is also the first part of the CRD's name.</summary>
    public string Plural { get; } = plural;

    /// <summary>The lower-case singular name.</summary>
    public string Singular { get; } = singular;

    /// <summary>Abbreviations accepted by <c>kubectl get</c>, such as "whs".</summary>
    public string[] ShortNames { get; init; } = [];

    /// <summary>Groups the resource belongs to, so that <c>kubectl get fasthook</c> lists it.</summary>
    public string[] Categories { get; init; } = [];
}
