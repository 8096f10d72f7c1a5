using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Retention;

public sealed class RetentionTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private const string PausedAudit = """

        ---
        apiVersion: fasthook.io/v1alpha1
        kind: Connection
        metadata: {name: github-to-audit}
        spec:
          sourceRef: {name: github}
          destinationRef: {name: receiver}
          paused: true
        """;

    [Fact]
    public async Task ExpiredDeliveredEvents_AreRemovedAndPendingOnesKept()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: "retention: 300ms", connectionExtra: "retention: 300ms") + PausedAudit;
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);
        var keys = new RedisKeys(gateway.Options.KeyPrefix);
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, EventStates.Delivered, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await gateway.Host.Retention.RunOnceAsync();

        var delivered = keys.Connection(TestManifests.Connection);
        var audit = keys.Connection("default/github-to-audit");
        var auditEvents = await database.SortedSetRangeByRankAsync(audit.Index);
        Assert.False(await database.KeyExistsAsync(delivered.Event(eventId)));
        Assert.False(await database.KeyExistsAsync(delivered.Attempts(eventId)));
        Assert.Equal(0, await database.SortedSetLengthAsync(delivered.Index));
        Assert.Single(auditEvents);
        Assert.True(await database.KeyExistsAsync(audit.Event(auditEvents[0].ToString())));

        // The paused connection still needs the request, so source retention must not trim it.
        Assert.Equal(1, await database.StreamLengthAsync(keys.Source("default/github").Requests));
    }

    [Fact]
    public async Task ExpiredRequests_AreTrimmedOnceNoEventNeedsThem()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: "retention: 300ms");
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);
        var requests = new RedisKeys(gateway.Options.KeyPrefix).Source("default/github").Requests;
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, EventStates.Delivered, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await gateway.Host.Retention.RunOnceAsync();

        Assert.Equal(0, await database.StreamLengthAsync(requests));
        Assert.Equal(1, await gateway.MetricAsync("fasthook_requests_trimmed_total{source=\"default/github\"}"));
    }

    [Fact]
    public async Task DeadLetteredEvent_KeepsItsRequestForReplay()
    {
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = (_, _) => Task.FromResult(new TestResponse(400));
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, sourceExtra: "retention: 300ms", connectionExtra: "retention: 300ms");
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);
        var requests = new RedisKeys(gateway.Options.KeyPrefix).Source("default/github").Requests;
        await using var connection = await redis.Server.ConnectAsync();

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        var eventId = (await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)))[0].Header("webhook-id");
        await gateway.WaitForStateAsync(eventId, EventStates.DeadLettered, TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        await gateway.Host.Retention.RunOnceAsync();

        Assert.Equal(1, await connection.GetDatabase().StreamLengthAsync(requests));
        Assert.Equal(EventStates.DeadLettered, (await gateway.EventAsync(eventId)).State);
    }

    [Fact]
    public async Task StoppedGatewaysConsumer_IsRemovedFromItsGroups()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url);
        var events = new RedisKeys(keyPrefix).Connection(TestManifests.Connection).Events;
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();
        string stoppedConsumer;
        await using (var stopped = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix))
        {
            stoppedConsumer = stopped.Host.ConsumerName;

            // Redis adds a consumer to a group only when it first reads an entry.
            await stopped.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
            await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
            await Eventually.WaitAsync(
                () => ConsumersAsync(database, events),
                names => names.Contains(stoppedConsumer),
                TimeSpan.FromSeconds(10),
                "the first gateway to join the delivery group");
        }

        await using var running = await GatewayHarness.StartAsync(redis.Server, manifests, options => options.IdleConsumerLimit = TimeSpan.FromMilliseconds(300), keyPrefix);
        await Task.Delay(600);
        await running.Host.Retention.RunOnceAsync();
        var remaining = await ConsumersAsync(database, events);

        Assert.DoesNotContain(stoppedConsumer, remaining);
    }

    private static async Task<List<string>> ConsumersAsync(StackExchange.Redis.IDatabase database, StackExchange.Redis.RedisKey stream)
    {
        try
        {
            return (await database.StreamConsumerInfoAsync(stream, RedisKeys.DeliveryGroup)).Select(consumer => (string)consumer.Name!).ToList();
        }
        catch (StackExchange.Redis.RedisServerException)
        {
            return [];
        }
    }
}
