using System.Net;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

/// <summary>
/// Request forms the typed client does not send but kubectl and other clients do.
/// </summary>
public sealed class HttpProtocolTests
{
    [Fact]
    public async Task WatchPath_StreamsJsonLines()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        await new Connections(api.Client).CreateAsync(TestResource.Connection("c1"));
        using var http = new HttpClient { BaseAddress = api.Url };

        var body = await http.GetStringAsync("/apis/fasthook.io/v1alpha1/watch/namespaces/default/connections?timeoutSeconds=1");

        var line = JsonNode.Parse(Assert.Single(body.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal("ADDED", line["type"]!.GetValue<string>());
        Assert.Equal("c1", line["object"]!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("watch", api.Requests[^1].Verb);
    }

    [Fact]
    public async Task DryRun_ValidatesWithoutStoring()
    {
        await using var api = await Emulator.StartAsync();
        var config = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "routes" } };

        var answered = await api.Client.CoreV1.CreateNamespacedConfigMapAsync(config, "default", dryRun: "All");

        Assert.Equal("routes", answered.Metadata.Name);
        var (code, _) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Crd_ServesEveryServedVersion()
    {
        await using var api = await Emulator.StartAsync();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestCrds.ConnectionYaml);
        var beta = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestCrds.ConnectionYaml).Spec.Versions[0];
        beta.Name = "v1beta1";
        beta.Storage = false;
        crd.Spec.Versions.Add(beta);
        await api.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        await new Connections(api.Client).CreateAsync(TestResource.Connection("c1"));

        var read = await api.Client.CustomObjects.GetNamespacedCustomObjectAsync<TestResource>("fasthook.io", "v1beta1", "default", "connections", "c1");

        Assert.Equal("fasthook.io/v1beta1", read.ApiVersion);
        Assert.Equal("github", read.Spec!["sourceRef"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownResource_ReturnsNotFoundStatus()
    {
        await using var api = await Emulator.StartAsync();
        using var http = new HttpClient { BaseAddress = api.Url };

        using var response = await http.GetAsync("/apis/fasthook.io/v1alpha1/namespaces/default/connections");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
    }
}
