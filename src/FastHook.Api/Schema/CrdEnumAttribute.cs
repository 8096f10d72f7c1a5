using System.Reflection;

namespace FastHook.Api.Schema;

/// <summary>
/// The values a string property accepts; on a list property, the values each item accepts.
/// </summary>
/// <remarks>
/// DataAnnotations' <c>AllowedValues</c> is not used here because it compares a list as a whole, not its items.
/// </remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CrdEnumAttribute : Attribute
{
    /// <summary>Lists the allowed values.</summary>
    public CrdEnumAttribute(params string[] values) => Values = values;

    /// <summary>Reads the allowed values from a public static list, so that the schema and the code share one list.</summary>
    public CrdEnumAttribute(Type owner, string member) => Values = StaticMember.Read<IEnumerable<string>>(owner, member).ToArray();

    public IReadOnlyList<string> Values { get; }
}

/// <summary>
/// Reads a public static field or property that an attribute names by type and member name.
/// </summary>
internal static class StaticMember
{
    public static T Read<T>(Type owner, string member)
    {
        const BindingFlags Flags = BindingFlags.Public | BindingFlags.Static;
        var value = owner.GetField(member, Flags)?.GetValue(null) ?? owner.GetProperty(member, Flags)?.GetValue(null);
        return value is T typed
            ? typed
            : throw new ArgumentException($"{owner.Name}.{member} is not a public static {typeof(T).Name}: name a public static field or property of that type.", nameof(member));
    }
}
