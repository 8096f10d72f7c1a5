using FastHook.Operator.Tests.Infrastructure;
using k8s;

namespace FastHook.Operator.Tests.Hosting;

public sealed class LeaderElectionTests
{
    [Fact]
    public async Task LeaderElection_TwoOperatorsElectOne()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var firstOptions = OperatorFixture.TestOptions();
        firstOptions.LeaderElection = true;
        firstOptions.Identity = "operator-a";
        var secondOptions = OperatorFixture.TestOptions();
        secondOptions.LeaderElection = true;
        secondOptions.Identity = "operator-b";

        var first = await fixture.StartOperatorAsync(firstOptions);
        var second = await fixture.StartOperatorAsync(secondOptions);
        await Eventually.TrueAsync(() => first.IsLeader || second.IsLeader, description: "a leader");
        await Task.Delay(2000);

        Assert.True(first.IsLeader ^ second.IsLeader, $"leaders: a={first.IsLeader}, b={second.IsLeader}");
        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("fasthook-operator", OperatorFixture.GatewayNamespace);
        Assert.Equal(first.IsLeader ? "operator-a" : "operator-b", lease.Spec.HolderIdentity);
        Assert.Equal(1, (int)(first.IsLeader ? first : second).Metrics.Leader.Value);
        Assert.Equal(0, (int)(first.IsLeader ? second : first).Metrics.Leader.Value);
    }

    [Fact]
    public async Task LeaderElection_FollowerTakesOverWhenLeaderStops()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var firstOptions = OperatorFixture.TestOptions();
        firstOptions.LeaderElection = true;
        firstOptions.Identity = "operator-a";
        var first = await fixture.StartOperatorAsync(firstOptions);
        await Eventually.TrueAsync(() => first.IsLeader, description: "operator-a leading");
        var secondOptions = OperatorFixture.TestOptions();
        secondOptions.LeaderElection = true;
        secondOptions.Identity = "operator-b";
        var second = await fixture.StartOperatorAsync(secondOptions);

        await fixture.StopOperatorAsync(first);

        // The Lease lasts 3 s in the test options; operator-b takes it once it expires.
        await Eventually.TrueAsync(() => second.IsLeader, timeout: TimeSpan.FromSeconds(15), description: "operator-b leading");
        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("fasthook-operator", OperatorFixture.GatewayNamespace);
        Assert.Equal("operator-b", lease.Spec.HolderIdentity);
    }
}
