using System.Net;
using System.Text;
using FastHook.KubeEmulator.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace FastHook.KubeEmulator.Tests;

public sealed class CoreResourceTests
{
    private static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["routes.json"] = "{}" },
    };

    [Fact]
    public async Task ConfigMap_CreateGetReplaceDelete()
    {
        await using var api = await Emulator.StartAsync();
        var client = api.Client;

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("routes"), "default");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal("default", created.Metadata.NamespaceProperty);

        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default");
        Assert.Equal(created.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
        Assert.Equal("{}", read.Data["routes.json"]);

        read.Data["routes.json"] = "{\"a\":1}";
        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(read, "routes", "default");
        Assert.True(long.Parse(replaced.Metadata.ResourceVersion) > long.Parse(created.Metadata.ResourceVersion));
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);

        var status = await client.CoreV1.DeleteNamespacedConfigMapAsync("routes", "default");
        Assert.Equal("Success", status.Status);

        var (code, _) = await ApiAssert.FailsAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default"));
        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Get_MissingObjectReturnsNotFoundStatus()
    {
        await using var api = await Emulator.StartAsync();

        var (code, status) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.ReadNamespacedSecretAsync("absent", "default"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("Failure", status.Status);
        Assert.Equal("NotFound", status.Reason);
        Assert.Equal(404, status.Code);
        Assert.Equal("absent", status.Details.Name);
        Assert.Equal("secrets", status.Details.Kind);
    }

    [Fact]
    public async Task Create_ExistingNameReturnsAlreadyExists()
    {
        await using var api = await Emulator.StartAsync();
        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("routes"), "default");

        var (code, status) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("routes"), "default"));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", status.Reason);
    }

    [Fact]
    public async Task Replace_StaleResourceVersionReturnsConflict()
    {
        await using var api = await Emulator.StartAsync();
        var client = api.Client;
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("routes"), "default");
        var stale = await client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default");
        first.Data["routes.json"] = "[1]";
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(first, "routes", "default");

        stale.Data["routes.json"] = "[2]";
        var (code, status) = await ApiAssert.FailsAsync(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(stale, "routes", "default"));

        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal("routes", status.Details.Name);
        var stored = await client.CoreV1.ReadNamespacedConfigMapAsync("routes", "default");
        Assert.Equal("[1]", stored.Data["routes.json"]);
    }

    [Fact]
    public async Task Replace_UnchangedKeepsResourceVersion()
    {
        await using var api = await Emulator.StartAsync();
        var created = await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("routes"), "default");

        var replaced = await api.Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "routes", "default");

        Assert.Equal(created.Metadata.ResourceVersion, replaced.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Create_InMissingNamespaceReturnsNotFound()
    {
        await using var api = await Emulator.StartAsync();

        var (code, status) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("routes"), "absent"));

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces", status.Details.Kind);
        Assert.Equal("absent", status.Details.Name);
    }

    [Fact]
    public async Task Namespaces_DefaultAndKubeSystemExist()
    {
        await using var api = await Emulator.StartAsync();

        var names = (await api.Client.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ToList();

        Assert.Contains("default", names);
        Assert.Contains("kube-system", names);
    }

    [Fact]
    public async Task List_FiltersByLabelAndFieldSelector()
    {
        await using var api = await Emulator.StartAsync();
        var client = api.Client;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "team-a" } });
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("one", new Dictionary<string, string> { ["app"] = "gateway", ["tier"] = "edge" }), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("two", new Dictionary<string, string> { ["app"] = "gateway" }), "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("three", new Dictionary<string, string> { ["app"] = "other" }), "team-a");

        static List<string> Names(V1ConfigMapList list) => [.. list.Items.Select(i => i.Metadata.Name)];

        Assert.Equal(["one", "two"], Names(await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app=gateway")));
        Assert.Equal(["one"], Names(await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app in (gateway),tier")));
        Assert.Equal(["two"], Names(await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "app=gateway,!tier")));
        Assert.Equal(["three"], Names(await client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "app notin (gateway)")));
        Assert.Equal(["two"], Names(await client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=two")));
        Assert.Equal(["three"], Names(await client.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: "metadata.namespace=team-a")));
        Assert.Equal(["one"], Names(await client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name!=two")));
    }

    [Fact]
    public async Task List_UnsupportedFieldSelectorReturnsBadRequest()
    {
        await using var api = await Emulator.StartAsync();

        var (code, _) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "data.x=1"));

        Assert.Equal(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task List_PagesWithLimitAndContinue()
    {
        await using var api = await Emulator.StartAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            await api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap(name), "default");
        }

        var first = await api.Client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);
        var second = await api.Client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: first.Metadata.ContinueProperty);

        Assert.Equal(["a", "b"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(1, first.Metadata.RemainingItemCount);
        Assert.Equal(["c"], second.Items.Select(i => i.Metadata.Name));
        Assert.Null(second.Metadata.ContinueProperty);
    }

    [Fact]
    public async Task Create_GenerateNameAssignsUniqueName()
    {
        await using var api = await Emulator.StartAsync();
        var config = new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "routes-" } };

        var created = await api.Client.CoreV1.CreateNamespacedConfigMapAsync(config, "default");

        Assert.StartsWith("routes-", created.Metadata.Name);
        Assert.Equal("routes-".Length + 5, created.Metadata.Name.Length);
    }

    [Fact]
    public async Task Create_InvalidNameReturnsInvalid()
    {
        await using var api = await Emulator.StartAsync();

        var (code, status) = await ApiAssert.FailsAsync(() => api.Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("Not_Valid"), "default"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("metadata.name", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Secret_StringDataIsStoredAsData()
    {
        await using var api = await Emulator.StartAsync();
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "signing" },
            StringData = new Dictionary<string, string> { ["key"] = "s3cret" },
        };

        var created = await api.Client.CoreV1.CreateNamespacedSecretAsync(secret, "default");

        Assert.Null(created.StringData);
        Assert.Equal("s3cret", Encoding.UTF8.GetString(created.Data["key"]));
        Assert.Equal("Opaque", created.Type);
    }

    [Fact]
    public async Task Service_GetsClusterIpKeptAcrossReplace()
    {
        await using var api = await Emulator.StartAsync();
        var service = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "gateway" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        };

        var created = await api.Client.CoreV1.CreateNamespacedServiceAsync(service, "default");
        created.Spec.ClusterIP = null;
        created.Spec.ClusterIPs = null;
        var replaced = await api.Client.CoreV1.ReplaceNamespacedServiceAsync(created, "gateway", "default");

        Assert.False(string.IsNullOrEmpty(replaced.Spec.ClusterIP));
        Assert.Equal(replaced.Spec.ClusterIP, (await api.Client.CoreV1.ReadNamespacedServiceAsync("gateway", "default")).Spec.ClusterIP);
    }

    [Fact]
    public async Task Deployment_GenerationFollowsSpecOnly()
    {
        await using var api = await Emulator.StartAsync();
        var client = api.Client;
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "gateway" },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "gateway" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "gateway" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "gateway", Image = "fasthook/gateway:1" }] },
                },
            },
            Status = new V1DeploymentStatus { Replicas = 9 },
        };

        var created = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "default");
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Null(created.Status);

        created.Metadata.Labels = new Dictionary<string, string> { ["team"] = "platform" };
        var relabelled = await client.AppsV1.ReplaceNamespacedDeploymentAsync(created, "gateway", "default");
        Assert.Equal(1, relabelled.Metadata.Generation);

        relabelled.Spec.Replicas = 3;
        var scaled = await client.AppsV1.ReplaceNamespacedDeploymentAsync(relabelled, "gateway", "default");
        Assert.Equal(2, scaled.Metadata.Generation);

        scaled.Status = new V1DeploymentStatus { Replicas = 3, ObservedGeneration = 2 };
        var withStatus = await client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(scaled, "gateway", "default");
        Assert.Equal(3, withStatus.Status.Replicas);
        Assert.Equal(2, withStatus.Metadata.Generation);
    }
}
