using System.Net;
using FastHook.Api.V1Alpha1;
using FastHook.Operator.Hosting;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using k8s.Autorest;

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

    [Fact]
    public async Task LostLease_OldWorkersEndBeforeNewTerm()
    {
        await using var fixture = await OperatorFixture.StartAsync();
        var options = OperatorFixture.TestOptions();
        options.LeaderElection = true;
        options.Identity = "operator-a";
        options.Workers = 2;
        var host = await fixture.StartOperatorAsync(options);
        await Eventually.TrueAsync(() => host.IsLeader && host.RunningWorkers == 2, description: "operator-a leading with two workers");

        // One reconcile stays in flight and ignores cancellation, as a Redis command does.
        var slowKey = OperatorHost.KeyOf(WebhookSource.KindName, "default", "slow");
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.BeforeReconcile = async (key, _) =>
        {
            if (key == slowKey && entered.TrySetResult())
            {
                await release.Task;
            }
        };
        await fixture.CreateAsync(TestResources.Source("slow"));
        try
        {
            await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

            await TakeLeaseAsync(fixture, "intruder");
            await Eventually.TrueAsync(() => !host.IsLeader, timeout: TimeSpan.FromSeconds(10), description: "operator-a losing the Lease");
            await Eventually.TrueAsync(() => host.RunningWorkers == 1, description: "the idle worker of the lost term ending");

            // The intruder never renews, so its Lease expires after 3 s. An operator that campaigned again at once
            // would lead by now and run a second set of workers beside the one still in its reconcile.
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.False(host.IsLeader, "operator-a led again while a worker of its lost term was still running");
            Assert.Equal(1, host.RunningWorkers);
            Assert.Equal(0, (int)host.Metrics.Leader.Value);
        }
        finally
        {
            // Shutdown waits for the held worker too, so it must end even when an assert failed.
            release.TrySetResult();
        }

        await Eventually.TrueAsync(() => host.IsLeader, timeout: TimeSpan.FromSeconds(15), description: "operator-a leading again after its old worker ended");
        await Eventually.TrueAsync(() => host.RunningWorkers == 2, description: "two workers of the new term");
        Assert.Equal(2, host.PeakRunningWorkers);
        var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("fasthook-operator", OperatorFixture.GatewayNamespace);
        Assert.Equal("operator-a", lease.Spec.HolderIdentity);
    }

    /// <summary>Writes the Lease as another replica that just acquired it would.</summary>
    private static async Task TakeLeaseAsync(OperatorFixture fixture, string identity)
    {
        for (var attempt = 1; ; attempt++)
        {
            var lease = await fixture.Client.CoordinationV1.ReadNamespacedLeaseAsync("fasthook-operator", OperatorFixture.GatewayNamespace);
            lease.Spec.HolderIdentity = identity;
            lease.Spec.AcquireTime = DateTime.UtcNow;
            lease.Spec.RenewTime = DateTime.UtcNow;
            lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
            try
            {
                await fixture.Client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, lease.Metadata.Name, lease.Metadata.NamespaceProperty);
                return;
            }
            catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.Conflict && attempt < 10)
            {
                // operator-a renewed between the read and the write.
            }
        }
    }
}
