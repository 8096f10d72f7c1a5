namespace FastHook.Api.Schema;

/// <summary>
/// A CEL rule the API server checks on the object or value, written to <c>x-kubernetes-validations</c>.
/// In the rule, <c>self</c> is the value of the property or the object of the class that carries the attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class CrdValidationAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    /// <summary>The error the API server returns when the rule is false.</summary>
    public string Message { get; } = message;

    /// <summary>
    /// The field the error names, relative to <c>self</c>, such as ".hmac"; the object itself when unset.
    /// Kubernetes 1.28 and later read it.
    /// </summary>
    public string? FieldPath { get; init; }
}
