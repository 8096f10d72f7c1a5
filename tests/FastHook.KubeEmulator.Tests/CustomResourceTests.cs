using System.Net;
using System.Text.Json.Nodes;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class CustomResourceTests
{
    [Fact]
    public async Task CustomResource_CreateGetListReplaceDelete()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);

        var created = await connections.CreateAsync(TestResource.Connection("github-to-billing"));
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal("Connection", created.Kind);

        var read = await connections.GetAsync("github-to-billing");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);

        var listed = await connections.ListAsync();
        Assert.Equal("github-to-billing", Assert.Single(listed.Items).Metadata.Name);
        Assert.Equal("ConnectionList", listed.Kind);

        read.Spec!["paused"] = true;
        var replaced = await connections.ReplaceAsync(read);
        Assert.True(replaced.Spec!["paused"]!.GetValue<bool>());

        var deleted = await connections.DeleteAsync("github-to-billing");
        Assert.Equal("github-to-billing", deleted.Metadata.Name);
        var (code, _) = await ApiAssert.FailsAsync(() => connections.GetAsync("github-to-billing"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task CustomResource_StaleReplaceConflicts()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));
        var newer = await connections.GetAsync("c1");
        newer.Spec!["paused"] = true;
        await connections.ReplaceAsync(newer);

        created.Spec!["paused"] = false;
        var (code, status) = await ApiAssert.FailsAsync(() => connections.ReplaceAsync(created));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", status.Reason);
    }

    [Fact]
    public async Task CustomResource_ReplaceWithoutVersionIsInvalid()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));
        created.Metadata.ResourceVersion = null;

        var (code, status) = await ApiAssert.FailsAsync(() => connections.ReplaceAsync(created));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("metadata.resourceVersion", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Generation_ChangesWithSpecOnly()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));

        created.Metadata.Labels = new Dictionary<string, string> { ["team"] = "payments" };
        var relabelled = await connections.ReplaceAsync(created);
        Assert.Equal(1, relabelled.Metadata.Generation);

        relabelled.Status = new JsonObject { ["observedGeneration"] = 1 };
        var withStatus = await connections.ReplaceStatusAsync(relabelled);
        Assert.Equal(1, withStatus.Metadata.Generation);

        withStatus.Spec!["paused"] = true;
        var paused = await connections.ReplaceAsync(withStatus);
        Assert.Equal(2, paused.Metadata.Generation);
    }

    [Fact]
    public async Task StatusSubresource_MainResourceWritesIgnoreStatus()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var resource = TestResource.Connection("c1");
        resource.Status = new JsonObject { ["delivered"] = 5 };

        var created = await connections.CreateAsync(resource);
        Assert.Null(created.Status);

        created.Status = new JsonObject { ["delivered"] = 7 };
        created.Spec!["paused"] = true;
        var replaced = await connections.ReplaceAsync(created);

        Assert.Null(replaced.Status);
        Assert.True(replaced.Spec!["paused"]!.GetValue<bool>());
    }

    [Fact]
    public async Task StatusSubresource_StatusWritesIgnoreEverythingElse()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));

        created.Status = new JsonObject { ["delivered"] = 7 };
        created.Spec!["paused"] = true;
        created.Metadata.Labels = new Dictionary<string, string> { ["ignored"] = "yes" };
        var written = await connections.ReplaceStatusAsync(created);

        Assert.Equal(7, written.Status!["delivered"]!.GetValue<int>());
        Assert.False(written.Spec!["paused"]!.GetValue<bool>());
        Assert.Null(written.Metadata.Labels);
        Assert.Equal(1, written.Metadata.Generation);
    }

    [Fact]
    public async Task StatusSubresource_MergePatchChangesStatusOnly()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));

        var patch = new V1Patch("{\"status\":{\"delivered\":3},\"spec\":{\"paused\":true}}", V1Patch.PatchType.MergePatch);
        var patched = await connections.PatchStatusAsync("c1", patch);

        Assert.Equal(3, patched.Status!["delivered"]!.GetValue<int>());
        Assert.False(patched.Spec!["paused"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CustomResource_WithoutKindIsBadRequest()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var resource = TestResource.Connection("c1");
        resource.Kind = null!;

        var (code, _) = await ApiAssert.FailsAsync(() => new Connections(api.Client).CreateAsync(resource));

        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Crd_CreateSetsEstablishedStatus()
    {
        await using var api = await Emulator.StartWithCrdAsync();

        var crd = await api.Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("connections.fasthook.io");

        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
        Assert.Equal(["v1alpha1"], crd.Status.StoredVersions);
    }

    [Fact]
    public async Task Crd_DeleteRemovesItsObjects()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));

        await api.Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("connections.fasthook.io");

        var (code, _) = await ApiAssert.FailsAsync(() => connections.GetAsync("c1"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Crd_MismatchedNameIsInvalid()
    {
        await using var api = await Emulator.StartAsync();
        var crd = k8s.KubernetesYaml.Deserialize<V1CustomResourceDefinition>(TestCrds.ConnectionYaml);
        crd.Metadata.Name = "wrong.fasthook.io";

        var (code, status) = await ApiAssert.FailsAsync(() => api.Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("metadata.name", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Discovery_ListsBuiltInAndCustomGroups()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        using var http = new HttpClient { BaseAddress = api.Url };

        var core = JsonNode.Parse(await http.GetStringAsync("/api"))!;
        var groups = JsonNode.Parse(await http.GetStringAsync("/apis"))!;
        var coreResources = JsonNode.Parse(await http.GetStringAsync("/api/v1"))!;
        var fasthook = JsonNode.Parse(await http.GetStringAsync("/apis/fasthook.io/v1alpha1"))!;

        Assert.Equal("v1", core["versions"]![0]!.GetValue<string>());
        var groupNames = groups["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToList();
        foreach (var expected in new[] { "apps", "policy", "coordination.k8s.io", "events.k8s.io", "apiextensions.k8s.io", "fasthook.io" })
        {
            Assert.Contains(expected, groupNames);
        }

        var coreNames = coreResources["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("secrets", coreNames);
        Assert.Contains("namespaces/status", coreNames);
        var fasthookNames = fasthook["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["connections", "connections/status"], fasthookNames);
    }

    [Fact]
    public async Task Discovery_VersionEndpointAnswersClient()
    {
        await using var api = await Emulator.StartAsync();

        var version = await api.Client.Version.GetCodeAsync();

        Assert.Equal("1", version.Major);
    }

    [Fact]
    public async Task Lease_CanBeCreatedAndRenewed()
    {
        await using var api = await Emulator.StartAsync();
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "fasthook-operator" },
            Spec = new V1LeaseSpec { HolderIdentity = "pod-a", LeaseDurationSeconds = 15, RenewTime = DateTime.UtcNow },
        };

        var created = await api.Client.CoordinationV1.CreateNamespacedLeaseAsync(lease, "kube-system");
        created.Spec.RenewTime = DateTime.UtcNow.AddSeconds(5);
        var renewed = await api.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(created, "fasthook-operator", "kube-system");

        Assert.Equal("pod-a", renewed.Spec.HolderIdentity);
        Assert.NotEqual(created.Metadata.ResourceVersion, renewed.Metadata.ResourceVersion);
    }
}
