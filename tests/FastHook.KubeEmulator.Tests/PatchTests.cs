using System.Net;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class PatchTests
{
    [Fact]
    public async Task MergePatch_SetsAndRemovesFields()
    {
        await using var api = await Emulator.StartAsync();
        var config = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "routes" },
            Data = new Dictionary<string, string> { ["keep"] = "1", ["drop"] = "2" },
        };
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(config, "default");

        var patch = new V1Patch("{\"data\":{\"drop\":null,\"added\":\"3\"},\"metadata\":{\"labels\":{\"app\":\"gateway\"}}}", V1Patch.PatchType.MergePatch);
        var patched = await api.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "routes", "default");

        Assert.Equal("1", patched.Data["keep"]);
        Assert.Equal("3", patched.Data["added"]);
        Assert.False(patched.Data.ContainsKey("drop"));
        Assert.Equal("gateway", patched.Metadata.Labels["app"]);
    }

    [Fact]
    public async Task MergePatch_WithStaleResourceVersionConflicts()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var created = await connections.CreateAsync(TestResource.Connection("c1"));
        await connections.PatchAsync("c1", new V1Patch("{\"spec\":{\"paused\":true}}", V1Patch.PatchType.MergePatch));

        var stale = new V1Patch($"{{\"metadata\":{{\"resourceVersion\":\"{created.Metadata.ResourceVersion}\"}},\"spec\":{{\"paused\":false}}}}", V1Patch.PatchType.MergePatch);
        var (code, status) = await ApiAssert.FailsAsync(() => connections.PatchAsync("c1", stale));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", status.Reason);
    }

    [Fact]
    public async Task JsonPatch_AddsReplacesAndRemoves()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var resource = TestResource.Connection("c1");
        resource.Spec!["headers"] = new System.Text.Json.Nodes.JsonObject { ["X-Team"] = "payments", ["X-Old"] = "1" };
        await connections.CreateAsync(resource);

        var patch = new V1Patch("""
            [
              {"op": "test", "path": "/spec/paused", "value": false},
              {"op": "replace", "path": "/spec/paused", "value": true},
              {"op": "add", "path": "/spec/replays", "value": [{"name": "r1"}]},
              {"op": "add", "path": "/spec/replays/-", "value": {"name": "r2"}},
              {"op": "remove", "path": "/spec/headers/X-Old"},
              {"op": "copy", "from": "/spec/headers/X-Team", "path": "/spec/headers/X-Copy"}
            ]
            """, V1Patch.PatchType.JsonPatch);
        var patched = await connections.PatchAsync("c1", patch);

        Assert.True(patched.Spec!["paused"]!.GetValue<bool>());
        Assert.Equal(2, patched.Spec["replays"]!.AsArray().Count);
        Assert.Equal("r2", patched.Spec["replays"]![1]!["name"]!.GetValue<string>());
        Assert.Null(patched.Spec["headers"]!["X-Old"]);
        Assert.Equal("payments", patched.Spec["headers"]!["X-Copy"]!.GetValue<string>());
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task JsonPatch_FailedTestIsUnprocessable()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));

        var patch = new V1Patch("[{\"op\": \"test\", \"path\": \"/spec/paused\", \"value\": true}]", V1Patch.PatchType.JsonPatch);
        var (code, _) = await ApiAssert.FailsAsync(() => connections.PatchAsync("c1", patch));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task StrategicMergePatch_RejectsCustomResource()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));

        var patch = new V1Patch("{\"spec\":{\"paused\":true}}", V1Patch.PatchType.StrategicMergePatch);
        var (code, _) = await ApiAssert.FailsAsync(() => connections.PatchAsync("c1", patch));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, code);
    }

    [Fact]
    public async Task StrategicMergePatch_MergesBuiltInType()
    {
        await using var api = await Emulator.StartAsync();
        var config = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "routes" }, Data = new Dictionary<string, string> { ["a"] = "1" } };
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(config, "default");

        var patch = new V1Patch("{\"data\":{\"b\":\"2\"}}", V1Patch.PatchType.StrategicMergePatch);
        var patched = await api.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "routes", "default");

        Assert.Equal("1", patched.Data["a"]);
        Assert.Equal("2", patched.Data["b"]);
    }

    [Fact]
    public async Task Apply_CreatesThenUpdatesAndRemovesDroppedFields()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        const string First = """
            apiVersion: fasthook.io/v1alpha1
            kind: Connection
            metadata: {name: c1, labels: {team: payments}}
            spec:
              sourceRef: {name: github}
              destinationRef: {name: billing}
              headers: {X-Team: payments}
            """;
        const string Second = """{"apiVersion":"fasthook.io/v1alpha1","kind":"Connection","metadata":{"name":"c1"},"spec":{"sourceRef":{"name":"github"},"destinationRef":{"name":"billing"},"paused":true}}""";

        // The client can only send JSON for apply, so the YAML form goes over plain HTTP, as kubectl sends it.
        using var http = new HttpClient { BaseAddress = api.Url };
        using var yaml = new StringContent(First, System.Text.Encoding.UTF8, "application/apply-patch+yaml");
        using var response = await http.PatchAsync("/apis/fasthook.io/v1alpha1/namespaces/default/connections/c1?fieldManager=gitops", yaml);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await connections.GetAsync("c1");
        Assert.Equal("payments", created.Spec!["headers"]!["X-Team"]!.GetValue<string>());
        Assert.Equal("payments", created.Metadata.Labels["team"]);

        var updated = await connections.PatchAsync("c1", new V1Patch(Second, V1Patch.PatchType.ApplyPatch), fieldManager: "gitops");
        Assert.True(updated.Spec!["paused"]!.GetValue<bool>());
        Assert.Null(updated.Spec["headers"]);
        Assert.Null(updated.Metadata.Labels);
    }

    [Fact]
    public async Task Apply_ConflictingManagerNeedsForce()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        const string Owner = """{"apiVersion":"fasthook.io/v1alpha1","kind":"Connection","metadata":{"name":"c1"},"spec":{"sourceRef":{"name":"github"},"destinationRef":{"name":"billing"},"paused":false}}""";
        const string Other = """{"apiVersion":"fasthook.io/v1alpha1","kind":"Connection","metadata":{"name":"c1"},"spec":{"paused":true}}""";
        await connections.PatchAsync("c1", new V1Patch(Owner, V1Patch.PatchType.ApplyPatch), fieldManager: "gitops");

        var (code, status) = await ApiAssert.FailsAsync(() => connections.PatchAsync("c1", new V1Patch(Other, V1Patch.PatchType.ApplyPatch), fieldManager: "kubectl"));
        Assert.Equal(HttpStatusCode.Conflict, code);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal("FieldManagerConflict", cause.Reason);
        Assert.Equal(".spec.paused", cause.Field);

        var forced = await connections.PatchAsync("c1", new V1Patch(Other, V1Patch.PatchType.ApplyPatch), fieldManager: "kubectl", force: true);
        Assert.True(forced.Spec!["paused"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Apply_WithoutFieldManagerIsBadRequest()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        const string Config = """{"apiVersion":"fasthook.io/v1alpha1","kind":"Connection","metadata":{"name":"c1"},"spec":{"sourceRef":{"name":"a"},"destinationRef":{"name":"b"}}}""";

        var (code, _) = await ApiAssert.FailsAsync(() => new Connections(api.Client).PatchAsync("c1", new V1Patch(Config, V1Patch.PatchType.ApplyPatch)));

        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Patch_MissingObjectIsNotFound()
    {
        await using var api = await Emulator.StartAsync();

        var patch = new V1Patch("{\"data\":{\"a\":\"1\"}}", V1Patch.PatchType.MergePatch);
        var (code, _) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "absent", "default"));

        Assert.Equal(HttpStatusCode.NotFound, code);
    }
}
