using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using FastHook.Api.Schema;

namespace FastHook.Api.V1Alpha1;

/// <summary>
/// A key of a Secret in the same namespace as the resource that names it.
/// </summary>
[Description("A key of a Secret in the same namespace.")]
public sealed class SecretKeyReference
{
    [Description("The name of the Secret.")]
    [Required]
    [RegularExpression(SchemaPatterns.ObjectName)]
    [MaxLength(253)]
    public string? Name { get; set; }

    [Description("The key in the Secret's data.")]
    [Required]
    [RegularExpression(SchemaPatterns.SecretKey)]
    [MaxLength(253)]
    public string? Key { get; set; }

    public override string ToString() => $"{Name}/{Key}";
}
