namespace FastHook.Api.Schema;

/// <summary>
/// The value the API server fills in when the property is left out. Use it only where the gateway applies the
/// same value when the property is missing, so that defaulting never changes what a resource means.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdDefaultAttribute : Attribute
{
    /// <summary>Sets a string, number, boolean or string array as the default.</summary>
    public CrdDefaultAttribute(object value) => Value = value;

    /// <summary>Reads the default from a public static field or property, such as a list of values.</summary>
    public CrdDefaultAttribute(Type owner, string member) => Value = StaticMember.Read<object>(owner, member);

    public object Value { get; }
}
