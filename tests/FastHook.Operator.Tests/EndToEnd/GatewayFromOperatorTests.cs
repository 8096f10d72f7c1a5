using System.Diagnostics;
using FastHook.Api.V1Alpha1;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using FastHook.Operator.Tests.Infrastructure;
using k8s;
using Xunit.Abstractions;
using Eventually = FastHook.Operator.Tests.Infrastructure.Eventually;

namespace FastHook.Operator.Tests.EndToEnd;

public sealed class GatewayFromOperatorTests(ITestOutputHelper output)
{
    private const string GitHubSecret = "e2e-github-secret";

    [Fact]
    public async Task Gateway_DeliversSignedRequestFromOperatorConfig()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await CreateRouteAsync(fixture, receiver.Url);
        await WaitReadyAsync(fixture, "route");

        await using var gateway = await ApiGateway.StartAsync(fixture.Api, redis, prefix);
        using var response = await gateway.PostGitHubAsync("/e/default/github", """{"action":"opened"}""", GitHubSecret);

        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}");
        var received = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(15));
        Assert.Equal("""{"action":"opened"}""", System.Text.Encoding.UTF8.GetString(received[0].Body));
        Assert.StartsWith("evt_", received[0].Header("webhook-id"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_StartedBeforeOperatorPicksUpRoutes()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        await using var gateway = await ApiGateway.StartAsync(fixture.Api, redis, prefix);
        using (var before = await gateway.PostGitHubAsync("/e/default/github", "{}", GitHubSecret))
        {
            Assert.Equal(404, (int)before.StatusCode);
        }

        await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await CreateRouteAsync(fixture, receiver.Url);
        await WaitReadyAsync(fixture, "route");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage response;
        while (true)
        {
            response = await gateway.PostGitHubAsync("/e/default/github", "{}", GitHubSecret);
            if (response.IsSuccessStatusCode || DateTime.UtcNow > deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(100);
        }

        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode} after the operator wrote the routes");
        }

        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ConnectionChange_UpdatesObservedGenerationAndReachesGateway()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await TestReceiver.StartAsync();
        await using var second = await TestReceiver.StartAsync();
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await CreateRouteAsync(fixture, first.Url);
        await fixture.CreateAsync(TestResources.Destination("second", second.Url + "/hooks"));
        await WaitReadyAsync(fixture, "route");
        await using var gateway = await ApiGateway.StartAsync(fixture.Api, redis, prefix);

        var stopwatch = Stopwatch.StartNew();
        var changed = await fixture.UpdateAsync<Connection>(Connection.KindName, "route", connection => connection.Spec.DestinationRef = new LocalObjectReference { Name = "second" });
        while (second.Received.Count == 0)
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), "the gateway did not deliver to the new destination within 20 s");
            using var response = await gateway.PostGitHubAsync("/e/default/github", "{}", GitHubSecret);
            await Task.Delay(100);
        }

        var applied = stopwatch.Elapsed;
        output.WriteLine($"From the Connection change to the first delivery through the changed route: {applied.TotalMilliseconds:F0} ms");
        var status = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => value.Status.ObservedGeneration == changed.Metadata.Generation,
            description: "observedGeneration of the changed Connection");
        Assert.True(OperatorFixture.IsReady(status.Status));
        Assert.True(applied < TimeSpan.FromSeconds(5), $"the change took {applied.TotalSeconds:F1} s to reach the gateway");
    }

    [Fact]
    public async Task Replay_RunsOnceAcrossOperatorRestart()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var receiver = await TestReceiver.StartAsync();
        var failing = true;
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(Volatile.Read(ref failing) ? 500 : 200));
        await using var fixture = await OperatorFixture.StartAsync();
        var prefix = GatewayHarness.NewKeyPrefix();
        var keys = new RedisKeys(prefix).Connection("default/route");
        var host = await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await CreateRouteAsync(fixture, receiver.Url, maxAttempts: 1);
        await WaitReadyAsync(fixture, "route");
        var gateway = await ApiGateway.StartAsync(fixture.Api, redis, prefix);
        using (var response = await gateway.PostGitHubAsync("/e/default/github", """{"n":1}""", GitHubSecret))
        {
            Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}");
        }

        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => value.Status.DeadLettered == 1,
            description: "one dead letter counted in status");

        // With no gateway running, the replay the operator creates stays Pending across the operator's restart.
        await gateway.DisposeAsync();
        Volatile.Write(ref failing, false);
        await fixture.UpdateAsync<Connection>(Connection.KindName, "route", connection =>
            connection.Spec.Replays = [new ReplayRequest { Name = "after-outage", State = "deadLettered" }]);
        var pending = await Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
            value => value.Status.Replays is { Count: 1 },
            description: "the replay in status");
        await fixture.StopOperatorAsync(host);
        host = await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
        await using (gateway = await ApiGateway.StartAsync(fixture.Api, redis, prefix))
        {
            var done = await Eventually.GetAsync(
                () => fixture.GetAsync<Connection>(Connection.KindName, "route"),
                value => value.Status.Replays is [{ Phase: "Succeeded" }],
                description: "the replay Succeeded");
            await receiver.WaitForAsync(2, TimeSpan.FromSeconds(10));

            var replay = Assert.Single(done.Status.Replays!);
            Assert.Equal("Pending", pending.Status.Replays![0].Phase);
            Assert.Equal(1, replay.Matched);
            Assert.Equal(1, replay.Enqueued);
            Assert.NotNull(replay.StartedAt);
            Assert.NotNull(replay.CompletedAt);

            // The replay's record can vanish from Redis, as after a restart of a Redis without persistence. A name
            // that status records as finished must not run again then, not even under an operator started later.
            await using var connection = await redis.ConnectAsync();
            await connection.GetDatabase().KeyDeleteAsync([keys.Replay("after-outage"), keys.Replays]);
            await fixture.StopOperatorAsync(host);
            await fixture.StartOperatorAsync(OperatorFixture.TestOptions(redis.Url, prefix));
            await Task.Delay(2500);

            Assert.False(await connection.GetDatabase().KeyExistsAsync(keys.Replay("after-outage")), "the finished replay was created again");
            Assert.Equal(2, receiver.Received.Count);
            var after = await fixture.GetAsync<Connection>(Connection.KindName, "route");
            Assert.Equal("Succeeded", Assert.Single(after.Status.Replays!).Phase);
        }
    }

    private static async Task CreateRouteAsync(OperatorFixture fixture, string receiverUrl, int? maxAttempts = null)
    {
        await fixture.Client.CoreV1.CreateNamespacedSecretAsync(TestResources.Secret("github-webhook", "secret", GitHubSecret), "default");
        await fixture.CreateAsync(TestResources.Source("github"));
        await fixture.CreateAsync(TestResources.Destination("receiver", receiverUrl + "/hooks"));
        var connection = TestResources.Connection("route", "github", "receiver");
        if (maxAttempts is { } attempts)
        {
            connection.Spec.Retry = new RetrySpec { MaxAttempts = attempts };
        }

        await fixture.CreateAsync(connection);
    }

    private static Task<Connection> WaitReadyAsync(OperatorFixture fixture, string name) =>
        Eventually.GetAsync(
            () => fixture.GetAsync<Connection>(Connection.KindName, name),
            value => OperatorFixture.IsReady(value.Status),
            description: $"Connection {name} Ready");
}
