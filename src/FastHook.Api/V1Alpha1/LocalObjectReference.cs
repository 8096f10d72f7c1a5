using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A reference to another resource in the same namespace, by name.
/// </summary>
[Description("A resource in the same namespace, by name.")]
public sealed class LocalObjectReference
{
    [Required]
    [RegularExpression(SchemaPatterns.ObjectName)]
    [MaxLength(253)]
    public string? Name { get; set; }
}
