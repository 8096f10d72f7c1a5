using System.Net;
using FastHook.KubeEmulator.Testing;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task Faults_FailNextWritesThenRecover()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        api.Faults.FailNextWrites("Connection", 2, 409);

        var (firstCode, firstStatus) = await ApiAssert.FailsAsync(() => connections.CreateAsync(TestResource.Connection("c1")));
        var (secondCode, _) = await ApiAssert.FailsAsync(() => connections.CreateAsync(TestResource.Connection("c1")));
        var created = await connections.CreateAsync(TestResource.Connection("c1"));

        Assert.Equal(HttpStatusCode.Conflict, firstCode);
        Assert.Equal("Conflict", firstStatus.Reason);
        Assert.Equal(HttpStatusCode.Conflict, secondCode);
        Assert.Equal("c1", created.Metadata.Name);
    }

    [Fact]
    public async Task Faults_ServerErrorHitsOnlyWritesOfKind()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));
        api.Faults.FailNextWrites("Connection", 1, 500);

        await connections.GetAsync("c1");
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "routes" } }, "default");
        var (code, status) = await ApiAssert.FailsAsync(() => connections.DeleteAsync("c1"));

        Assert.Equal(HttpStatusCode.InternalServerError, code);
        Assert.Equal("InternalError", status.Reason);
        await connections.GetAsync("c1");
    }

    [Fact]
    public async Task Faults_CanTargetStatusSubresourceOnly()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));
        api.Faults.Add(new FaultRule { Kind = "Connection", Count = 1, StatusCode = 409, Subresource = "status" });

        created.Spec!["paused"] = true;
        var replaced = await connections.ReplaceAsync(created);
        var (code, _) = await ApiAssert.FailsAsync(() => connections.ReplaceStatusAsync(replaced));

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Requests_RecordVerbsResourcesAndUserAgent()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        api.ClearRequests();

        var created = await connections.CreateAsync(TestResource.Connection("c1"));
        await connections.ListAsync();
        created.Status = new System.Text.Json.Nodes.JsonObject { ["delivered"] = 1 };
        await connections.ReplaceStatusAsync(created);
        await connections.PatchAsync("c1", new V1Patch("{\"spec\":{\"paused\":true}}", V1Patch.PatchType.MergePatch));
        await connections.DeleteAsync("c1");
        using var http = new HttpClient { BaseAddress = api.Url };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("fasthook-operator/test");
        await http.GetStringAsync("/apis/fasthook.io/v1alpha1/namespaces/default/connections");

        var verbs = api.UsedResourceVerbs();
        Assert.Equal(
            [
                new ResourceVerb("fasthook.io", "connections", "create"),
                new ResourceVerb("fasthook.io", "connections", "delete"),
                new ResourceVerb("fasthook.io", "connections", "list"),
                new ResourceVerb("fasthook.io", "connections", "patch"),
                new ResourceVerb("fasthook.io", "connections/status", "update"),
            ],
            verbs);
        Assert.Equal("fasthook-operator/test", api.Requests[^1].UserAgent);
        Assert.Equal(201, api.Requests[0].StatusCode);
    }
}
