using System.Text.Json.Nodes;
using k8s;

namespace FastHook.Operator.Resources;

/// <summary>
/// Builds request bodies for FastHook resources.
/// </summary>
public static class RequestBodies
{
    /// <summary>
    /// The top-level properties the resource classes compute for convenience (<c>Namespace</c>, <c>Name</c>,
    /// <c>QualifiedName</c>), which are not fields of the Kubernetes object.
    /// </summary>
    private static readonly string[] ComputedProperties = ["namespace", "name", "qualifiedName"];

    /// <summary>
    /// Serializes a resource without its computed properties, so the API server gets no unknown fields. It warns
    /// about unknown fields, and rejects them under strict field validation.
    /// </summary>
    public static JsonObject Of(object resource)
    {
        var body = JsonNode.Parse(KubernetesJson.Serialize(resource))!.AsObject();
        foreach (var property in ComputedProperties)
        {
            body.Remove(property);
        }

        return body;
    }
}
