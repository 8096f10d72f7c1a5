using FastHook.Api.V1Alpha1;
using k8s.Models;

namespace FastHook.Operator.Tests.Infrastructure;

/// <summary>
/// Small resources for tests in namespace default.
/// </summary>
public static class TestResources
{
    public static WebhookSource Source(string name, string secretName = "github-webhook") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new WebhookSourceSpec { Verification = new VerificationSpec { Provider = "github", SecretRef = new SecretKeyReference { Name = secretName, Key = "secret" } } },
    };

    public static Destination Destination(string name, string url = "http://127.0.0.1:9/hooks") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new DestinationSpec { Url = url },
    };

    public static Connection Connection(string name, string source, string destination) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new ConnectionSpec { SourceRef = new LocalObjectReference { Name = source }, DestinationRef = new LocalObjectReference { Name = destination } },
    };

    public static V1Secret Secret(string name, string key, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        StringData = new Dictionary<string, string> { [key] = value },
    };
}
