namespace FastHook.Api.Schema;

/// <summary>
/// A column that <c>kubectl get</c> prints for the resource. Columns appear in the order of the attributes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PrinterColumnAttribute(string name, string type, string jsonPath) : Attribute
{
    /// <summary>The JSONPath of the Ready condition's status, for the usual first column.</summary>
    public const string ReadyStatusPath = ".status.conditions[?(@.type==\"Ready\")].status";

    /// <summary>The JSONPath of the Ready condition's reason.</summary>
    public const string ReadyReasonPath = ".status.conditions[?(@.type==\"Ready\")].reason";

    /// <summary>The column heading.</summary>
    public string Name { get; } = name;

    /// <summary>The OpenAPI type of the value: string, integer, number, boolean or date.</summary>
    public string Type { get; } = type;

    /// <summary>The JSONPath of the value, relative to the resource, such as ".spec.url".</summary>
    public string JsonPath { get; } = jsonPath;

    /// <summary>0 for columns that are always shown, 1 for columns shown only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }

    public string? Description { get; init; }
}
