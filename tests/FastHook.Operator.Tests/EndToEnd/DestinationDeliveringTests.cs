using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Operator.Tests.EndToEnd;

public sealed class DestinationDeliveringTests
{
    private const string GitHubSecret = "delivering-github-secret";

    [Fact]
    public async Task Delivering_FollowsFailingThenRecoveringReceiver()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var failing = true;
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(Volatile.Read(ref failing) ? 503 : 200));
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        var host = await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", GitHubSecret), "default");
        await fixture.CreateAsync(TestResources.Source("github"));
        await fixture.CreateAsync(TestResources.Destination("receiver", receiver.Url + "/hooks"));
        var connection = TestResources.Connection("route", "github", "receiver");
        connection.Spec.Retry = new RetrySpec { MaxAttempts = 1 };
        await fixture.CreateAsync(connection);

        var idle = await WaitForDeliveringAsync(fixture, "Unknown", "no attempt yet");
        Assert.Equal("NoDeliveriesYet", idle.Reason);

        await using var gateway = await ApiGateway.StartAsync(fixture.Api, redis, prefix);
        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.PostGitHubAsync("/e/default/github", $$"""{"n":{{i}}}""", GitHubSecret);
            Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}");
        }

        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(15));
        var failed = await WaitForDeliveringAsync(fixture, "False", "two failed attempts", condition => condition.Message?.Contains("All 2 ", StringComparison.Ordinal) == true);
        Assert.Equal("DeliveriesFailing", failed.Reason);
        Assert.Contains("HTTP 503", failed.Message, StringComparison.Ordinal);
        Assert.Contains("Connection default/route", failed.Message, StringComparison.Ordinal);
        var destination = await fixture.GetAsync<Destination>(Destination.KindName, "receiver");
        Assert.True(OperatorFixture.IsReady(destination.Status), "failing deliveries must not make the configuration not Ready");

        // Once the Connection's counters show both dead letters, nothing changes in Redis any more, so the
        // refreshes on the counter interval (500 ms here) write no status.
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => value.Status.DeadLettered == 2,
            description: "two dead letters counted in the Connection's status");
        await Task.Delay(500);
        var writes = host.StatusWriter!.Writes;
        await Task.Delay(2000);
        Assert.Equal(writes, host.StatusWriter!.Writes);

        Volatile.Write(ref failing, false);
        using (var response = await gateway.PostGitHubAsync("/e/default/github", """{"n":2}""", GitHubSecret))
        {
            Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}");
        }

        await receiver.WaitForAsync(3, TimeSpan.FromSeconds(15));
        var recovered = await WaitForDeliveringAsync(fixture, "True", "a successful attempt");
        Assert.Equal("DeliveriesSucceeding", recovered.Reason);
        Assert.NotEqual(failed.LastTransitionTime, recovered.LastTransitionTime);
    }

    private static async Task<ResourceCondition> WaitForDeliveringAsync(OperatorFixture fixture, string status, string cause, Func<ResourceCondition, bool>? extraCheck = null)
    {
        var destination = await Eventually.GetAsync(
            () => fixture.GetAsync<Destination>(Destination.KindName, "receiver"),
            value => OperatorFixture.Condition(value.Status, "Delivering") is { } condition && condition.Status == status && (extraCheck is null || extraCheck(condition)),
            timeout: TimeSpan.FromSeconds(20),
            description: $"Delivering {status} after {cause}");
        return OperatorFixture.Condition(destination.Status, "Delivering")!;
    }
}
