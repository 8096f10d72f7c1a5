using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.Operator.Tests.Infrastructure;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Operator.Tests.Reconcilers;

public sealed class DestinationCircuitTests
{
    [Fact]
    public async Task OpenCircuit_TurnsDeliveringFalseAndBack()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        var destination = TestResources.Destination("billing");
        destination.Spec.CircuitBreaker = new CircuitBreakerSpec { FailureThreshold = 3, CoolDown = "30s" };
        await fixture.CreateAsync(destination);
        await using var connection = await redis.ConnectAsync();
        var circuit = new RedisKeys(prefix).Destination("default/billing").Circuit;

        var closed = await Eventually.GetAsync(
            () => fixture.GetAsync<Destination>(Destination.KindName, "billing"),
            value => OperatorFixture.Condition(value.Status, "Delivering")?.Status == "Unknown",
            description: "Delivering Unknown while the circuit is closed and nothing was delivered");

        // What a gateway writes when the destination failed three times in a row.
        await connection.GetDatabase().HashSetAsync(circuit, [new("state", "open"), new("openedAt", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), new("failures", 3)]);
        var open = await Eventually.GetAsync(
            () => fixture.GetAsync<Destination>(Destination.KindName, "billing"),
            value => OperatorFixture.Condition(value.Status, "Delivering")?.Status == "False",
            description: "Delivering False while the circuit is open");

        await connection.GetDatabase().HashSetAsync(circuit, [new("state", "closed"), new("failures", 0)]);
        var reclosed = await Eventually.GetAsync(
            () => fixture.GetAsync<Destination>(Destination.KindName, "billing"),
            value => OperatorFixture.Condition(value.Status, "Delivering")?.Status == "Unknown",
            description: "Delivering from the attempts again after the circuit closed");

        Assert.Equal("NoDeliveriesYet", OperatorFixture.Condition(closed.Status, "Delivering")!.Reason);
        Assert.Equal("CircuitOpen", OperatorFixture.Condition(open.Status, "Delivering")!.Reason);
        Assert.True(OperatorFixture.IsReady(open.Status), "an open circuit must not make the configuration not Ready");
        Assert.Equal("NoDeliveriesYet", OperatorFixture.Condition(reclosed.Status, "Delivering")!.Reason);
    }

    [Fact]
    public async Task OperatorWithoutRedis_SetsNoDeliveringCondition()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        await fixture.StartOperatorAsync();

        await fixture.CreateAsync(TestResources.Destination("plain"));
        var ready = await Eventually.GetAsync(
            () => fixture.GetAsync<Destination>(Destination.KindName, "plain"),
            value => OperatorFixture.IsReady(value.Status),
            description: "the destination Ready");

        Assert.Null(OperatorFixture.Condition(ready.Status, "Delivering"));
    }
}
