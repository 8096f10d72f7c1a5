using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests.Infrastructure;

/// <summary>
/// A custom resource of the test CRDs with free-form spec and status, read and written through the client's
/// typed custom object methods.
/// </summary>
public sealed class TestResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = TestCrds.ApiVersion;

    public string Kind { get; set; } = "Connection";

    public V1ObjectMeta Metadata { get; set; } = new();

    public JsonObject? Spec { get; set; }

    public JsonObject? Status { get; set; }

    public static TestResource Connection(string name, JsonObject? spec = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = spec ?? new JsonObject
        {
            ["sourceRef"] = new JsonObject { ["name"] = "github" },
            ["destinationRef"] = new JsonObject { ["name"] = "billing" },
        },
    };
}
