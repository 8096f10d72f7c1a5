using System.Text.Json.Nodes;

namespace FastHook.Api.Tests.Crds;

/// <summary>
/// Builds test resources from a kind and the YAML of their spec.
/// </summary>
internal static class CrdTestResources
{
    /// <summary>A valid spec of each kind; the Connection refers to the other two and the WebhookSource to Secret hook.</summary>
    public static readonly IReadOnlyDictionary<string, string> ValidSpecs = new Dictionary<string, string>
    {
        ["WebhookSource"] = "{verification: {provider: github, secretRef: {name: hook, key: secret}}}",
        ["Destination"] = "{url: 'http://billing.payments.svc:8080/webhooks'}",
        ["Connection"] = "{sourceRef: {name: github}, destinationRef: {name: billing}}",
    };

    /// <summary>The name of the resource <see cref="Create"/> makes, in namespace default.</summary>
    public const string Name = "subject";

    public static JsonObject Create(string kind, string specYaml, string? statusYaml = null)
    {
        var resource = new JsonObject
        {
            ["apiVersion"] = "fasthook.io/v1alpha1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = Name },
            ["spec"] = YamlDocuments.Read(specYaml).Single(),
        };

        if (statusYaml is not null)
        {
            resource["status"] = YamlDocuments.Read(statusYaml).Single();
        }

        return resource;
    }
}
