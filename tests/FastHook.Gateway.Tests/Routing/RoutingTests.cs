using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace FastHook.Gateway.Tests.Routing;

public sealed class RoutingTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string TwoConnections = """

        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Connection
        metadata: {name: github-to-audit}
        spec:
          sourceRef: {name: github}
          destinationRef: {name: receiver}
        """;

    [Fact]
    public async Task Request_BecomesOneEventPerConnection()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url) + TwoConnections);

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var received = await receiver.WaitForAsync(2, TimeSpan.FromSeconds(10));

        Assert.Equal(2, received.Select(request => request.Header("webhook-id")).Distinct().Count());
        Assert.Single(received.Select(request => request.Header("X-FastHook-Request-Id")).Distinct());
        Assert.Equal(1, await gateway.MetricAsync("fasthook_events_routed_total{connection=\"default/github-to-audit\"}"));
    }

    [Fact]
    public async Task RouterCrashBeforeAcknowledging_CreatesNoDuplicate()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var keys = new RedisKeys(keyPrefix);
        var requests = keys.Source("default/github").Requests;
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();

        // A router that died after creating the event but before XACK: the request is pending under it.
        var requestId = (await database.StreamAddAsync(requests, [new("m", "POST"), new("p", TestManifests.SourcePath), new("q", ""), new("h", "[]"), new("b", "{}"), new("v", "valid")])).ToString();
        await database.StreamCreateConsumerGroupAsync(requests, RedisKeys.RouterGroup, "0-0");
        await database.StreamReadGroupAsync(requests, RedisKeys.RouterGroup, "dead-router", StreamPosition.NewMessages, 10);
        var eventId = EventIds.Create("default/github", requestId, TestManifests.Connection);
        var connectionKeys = keys.Connection(TestManifests.Connection);
        await database.ScriptEvaluateAsync(
            "return redis.call('HSET', KEYS[1], 'requestId', ARGV[1], 'source', 'default/github', 'receivedAt', ARGV[2], 'state', 'delivered', 'attempts', 1)",
            [connectionKeys.Event(eventId)],
            [requestId, StreamIds.Milliseconds(requestId)]);

        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url), keyPrefix: keyPrefix);
        await Eventually.WaitAsync(
            async () => (await database.StreamPendingAsync(requests, RedisKeys.RouterGroup)).PendingMessageCount,
            pending => pending == 0,
            TimeSpan.FromSeconds(10),
            "the router to take over and acknowledge the request");
        await Task.Delay(500);

        Assert.Empty(receiver.Received);
        Assert.Equal(0, await database.StreamLengthAsync(connectionKeys.Events));
        Assert.Equal(0, await gateway.MetricAsync("fasthook_events_routed_total{connection=\"default/github-to-receiver\"}"));
    }

    [Fact]
    public async Task EventId_IsStableForTheSameRequestAndConnection()
    {
        var first = EventIds.Create("default/github", "1700000000000-0", "default/a");
        var again = EventIds.Create("default/github", "1700000000000-0", "default/a");
        var otherConnection = EventIds.Create("default/github", "1700000000000-0", "default/b");

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherConnection);
        Assert.True(EventIds.IsValid(first));
        await Task.CompletedTask;
    }
}
