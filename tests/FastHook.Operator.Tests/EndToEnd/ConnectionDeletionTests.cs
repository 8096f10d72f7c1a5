using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.Operator.Reconcilers;
using FastHook.Operator.Resources;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Operator.Tests.EndToEnd;

public sealed class ConnectionDeletionTests
{
    [Fact]
    public async Task ConnectionDeletion_RemovesWorkAndExpiresData()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", "value"), "default");
        await fixture.CreateAsync(TestResources.Source("github"));
        await fixture.CreateAsync(TestResources.Destination("receiver"));
        await fixture.CreateAsync(TestResources.Connection("route", "github", "receiver"));
        var connection = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => OperatorFixture.IsReady(value.Status),
            description: "Connection Ready");
        Assert.Contains(ConnectionReconciler.Finalizer, connection.Metadata.Finalizers);
        await using var data = await redis.ConnectAsync();
        var database = data.GetDatabase();
        var events = $"{prefix}:{{c:default/route}}:events";
        var deadLetters = $"{prefix}:{{c:default/route}}:deadletter";
        await database.StreamAddAsync(events, "e", "evt_waiting");
        await database.StreamAddAsync(deadLetters, "e", "evt_dead");

        await fixture.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, "default", CustomResourceKind.Connections.Plural, "route");

        await Eventually.GetAsync(
            () => fixture.Client.CustomObjects.ListNamespacedCustomObjectAsync<ResourceList<Connection>>(ApiGroup.Group, ApiGroup.Version, "default", CustomResourceKind.Connections.Plural),
            list => list.Items.Count == 0,
            description: "the Connection gone after its finalizer ran");
        var routes = (await fixture.Client.CoreV1.ReadNamespacedConfigMapAsync("fasthook-gateway-routes", OperatorFixture.GatewayNamespace)).Data["routes.yaml"];
        Assert.DoesNotContain("name: route", routes, StringComparison.Ordinal);
        Assert.False(await database.KeyExistsAsync(events));
        var ttl = await database.KeyTimeToLiveAsync(deadLetters);
        Assert.NotNull(ttl);
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(167), TimeSpan.FromHours(168));
    }
}
