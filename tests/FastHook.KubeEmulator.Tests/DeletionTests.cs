using System.Net;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class DeletionTests
{
    private static V1ConfigMap OwnedConfigMap(string name, params TestResource[] owners) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            OwnerReferences = [.. owners.Select(o => new V1OwnerReference
            {
                ApiVersion = TestCrds.ApiVersion,
                Kind = "Connection",
                Name = o.Metadata.Name,
                Uid = o.Metadata.Uid,
                Controller = true,
                BlockOwnerDeletion = true,
            })],
        },
    };

    [Fact]
    public async Task Finalizer_KeepsObjectUntilRemoved()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var resource = TestResource.Connection("c1");
        resource.Metadata.Finalizers = ["fasthook.io/cleanup"];
        await connections.CreateAsync(resource);

        var deleting = await connections.DeleteAsync("c1");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Equal(0, deleting.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(2, deleting.Metadata.Generation);

        var stillThere = await connections.GetAsync("c1");
        Assert.NotNull(stillThere.Metadata.DeletionTimestamp);

        stillThere.Metadata.Finalizers = [];
        await connections.ReplaceAsync(stillThere);

        var (code, _) = await ApiAssert.FailsAsync(() => connections.GetAsync("c1"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Finalizer_CannotBeAddedWhileDeleting()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var resource = TestResource.Connection("c1");
        resource.Metadata.Finalizers = ["fasthook.io/cleanup"];
        await connections.CreateAsync(resource);
        var deleting = await connections.DeleteAsync("c1");

        deleting.Metadata.Finalizers = ["fasthook.io/cleanup", "fasthook.io/other"];
        var (code, status) = await ApiAssert.FailsAsync(() => connections.ReplaceAsync(deleting));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("metadata.finalizers", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Finalizer_RemovalSendsDeletedWatchEvent()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var resource = TestResource.Connection("c1");
        resource.Metadata.Finalizers = ["fasthook.io/cleanup"];
        var created = await connections.CreateAsync(resource);
        await using var watch = connections.Watch(resourceVersion: created.Metadata.ResourceVersion);

        var deleting = await connections.DeleteAsync("c1");
        deleting.Metadata.Finalizers = [];
        await connections.ReplaceAsync(deleting);

        var marked = await watch.NextAsync();
        Assert.Equal(WatchEventType.Modified, marked.Type);
        Assert.NotNull(marked.Object.Metadata.DeletionTimestamp);
        var deleted = await watch.NextAsync();
        Assert.Equal(WatchEventType.Deleted, deleted.Type);
        Assert.Equal("c1", deleted.Object.Metadata.Name);
    }

    [Fact]
    public async Task OwnerReference_DeletingOwnerCollectsDependents()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var owner = await connections.CreateAsync(TestResource.Connection("c1"));
        var survivor = await connections.CreateAsync(TestResource.Connection("c2"));
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(OwnedConfigMap("only-c1", owner), "default");
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(OwnedConfigMap("both", owner, survivor), "default");

        await connections.DeleteAsync("c1");

        var (code, _) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.ReadNamespacedConfigMapAsync("only-c1", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        var shared = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("both", "default");
        Assert.Equal(survivor.Metadata.Uid, Assert.Single(shared.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task OwnerReference_InOtherNamespaceCountsAsGone()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        var owner = await new Connections(api.Client).CreateAsync(TestResource.Connection("c1"));

        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(OwnedConfigMap("routes", owner), "team-a");

        var (code, _) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.ReadNamespacedConfigMapAsync("routes", "team-a"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task OwnerReference_OrphanPolicyKeepsDependents()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var owner = await connections.CreateAsync(TestResource.Connection("c1"));
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(OwnedConfigMap("routes", owner), "default");

        await connections.DeleteAsync("c1", propagationPolicy: "Orphan");

        var orphan = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default");
        Assert.Null(orphan.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task OwnerReference_ForegroundWaitsForDependentFinalizers()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        var owner = await connections.CreateAsync(TestResource.Connection("c1"));
        var dependent = OwnedConfigMap("routes", owner);
        dependent.Metadata.Finalizers = ["fasthook.io/drain"];
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, "default");

        var deleting = await connections.DeleteAsync("c1", propagationPolicy: "Foreground");
        Assert.Contains("foregroundDeletion", deleting.Metadata.Finalizers);
        var draining = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default");
        Assert.NotNull(draining.Metadata.DeletionTimestamp);

        draining.Metadata.Finalizers = [];
        await api.Client.CoreV1.ReplaceNamespacedConfigMapAsync(draining, "routes", "default");

        var (code, _) = await ApiAssert.FailsAsync(() => connections.GetAsync("c1"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Delete_UidPreconditionMismatchConflicts()
    {
        await using var api = await Emulator.StartWithCrdAsync();
        var connections = new Connections(api.Client);
        await connections.CreateAsync(TestResource.Connection("c1"));

        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = Guid.NewGuid().ToString() } };
        var (code, _) = await ApiAssert.FailsAsync(() => connections.DeleteAsync("c1", options: options));

        Assert.Equal(HttpStatusCode.Conflict, code);
    }

    [Fact]
    public async Task Namespace_DeletionRemovesContentThenNamespace()
    {
        await using var api = await Emulator.StartAsync();
        var client = api.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        var finalized = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "held", Finalizers = ["fasthook.io/drain"] } };
        await client.CoreV1.CreateNamespacedConfigMapAsync(finalized, "team-a");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "plain" } }, "team-a");

        await client.CoreV1.DeleteNamespaceAsync("team-a");

        var terminating = await client.CoreV1.ReadNamespaceAsync("team-a");
        Assert.Equal("Terminating", terminating.Status.Phase);
        Assert.Empty((await client.CoreV1.ListNamespacedSecretAsync("team-a")).Items);
        var (createCode, _) = await ApiAssert.FailsAsync(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "late" } }, "team-a"));
        Assert.Equal(HttpStatusCode.Forbidden, createCode);

        var draining = await client.CoreV1.ReadNamespacedConfigMapAsync("held", "team-a");
        draining.Metadata.Finalizers = [];
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(draining, "held", "team-a");

        var (code, _) = await ApiAssert.FailsAsync(() => client.CoreV1.ReadNamespaceAsync("team-a"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Namespace_DefaultCannotBeDeleted()
    {
        await using var api = await Emulator.StartAsync();

        var (code, _) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.DeleteNamespaceAsync("default"));

        Assert.Equal(HttpStatusCode.Forbidden, code);
    }

    [Fact]
    public async Task DeleteCollection_DeletesMatchingObjects()
    {
        await using var api = await Emulator.StartAsync();
        var client = api.Client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a", Labels = new Dictionary<string, string> { ["app"] = "x" } } }, "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" } }, "default");

        await client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("default", labelSelector: "app=x");

        Assert.Equal(["b"], (await client.CoreV1.ListNamespacedConfigMapAsync("default")).Items.Select(i => i.Metadata.Name));
    }
}
