using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FastHook.KubeEmulator.Catalog;
using FastHook.KubeEmulator.Http;
using FastHook.KubeEmulator.Storage;

namespace FastHook.KubeEmulator.Validation;

/// <summary>
/// The metadata checks the API server makes on every type: the name format, label keys and values, and
/// annotation keys.
/// </summary>
internal static partial class MetadataValidation
{
    public static List<StatusCause> Validate(ResourceType type, JsonObject obj)
    {
        var causes = new List<StatusCause>();
        var name = Metadata.Name(obj);
        var nameError = type.NameRule switch
        {
            NameRule.DnsLabel => IsDnsLabel(name) ? null : "a lowercase RFC 1123 label: at most 63 characters of 'a-z', '0-9' and '-', starting and ending with an alphanumeric character",
            NameRule.Dns1035Label => IsDns1035Label(name) ? null : "a DNS-1035 label: at most 63 characters of 'a-z', '0-9' and '-', starting with a letter and ending with an alphanumeric character",
            _ => IsDnsSubdomain(name) ? null : "a lowercase RFC 1123 subdomain: at most 253 characters of 'a-z', '0-9', '-' and '.', starting and ending with an alphanumeric character",
        };
        if (nameError is not null)
        {
            causes.Add(new StatusCause("FieldValueInvalid", $"Invalid value: \"{name}\": must be {nameError}", "metadata.name"));
        }

        foreach (var (key, value) in Metadata.Labels(obj))
        {
            if (!IsQualifiedName(key))
            {
                causes.Add(new StatusCause("FieldValueInvalid",
                    $"Invalid value: \"{key}\": a label key must be an optional DNS subdomain prefix and '/', then at most 63 characters of alphanumerics, '-', '_' and '.'",
                    "metadata.labels"));
            }

            if (value.Length > 63 || value.Length > 0 && !LabelValue().IsMatch(value))
            {
                causes.Add(new StatusCause("FieldValueInvalid",
                    $"Invalid value: \"{value}\": a label value must be empty or at most 63 characters of alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric character",
                    $"metadata.labels[{key}]"));
            }
        }

        if (Metadata.Of(obj)["annotations"] is JsonObject annotations)
        {
            foreach (var (key, _) in annotations)
            {
                if (!IsQualifiedName(key))
                {
                    causes.Add(new StatusCause("FieldValueInvalid",
                        $"Invalid value: \"{key}\": an annotation key must be an optional DNS subdomain prefix and '/', then at most 63 characters of alphanumerics, '-', '_' and '.'",
                        "metadata.annotations"));
                }
            }
        }

        return causes;
    }

    public static bool IsDnsSubdomain(string value) => value.Length is > 0 and <= 253 && DnsSubdomain().IsMatch(value);

    public static bool IsDnsLabel(string value) => value.Length is > 0 and <= 63 && DnsLabel().IsMatch(value);

    private static bool IsDns1035Label(string value) => value.Length is > 0 and <= 63 && Dns1035Label().IsMatch(value);

    private static bool IsQualifiedName(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && !IsDnsSubdomain(key[..slash]))
        {
            return false;
        }

        return name.Length is > 0 and <= 63 && LabelValue().IsMatch(name);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();
}
