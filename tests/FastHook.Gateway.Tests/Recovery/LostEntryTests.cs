using FastHook.Gateway.DeadLetter;
using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace FastHook.Gateway.Tests.Recovery;

public sealed class LostEntryTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task PendingEntryDeletedFromStream_IsCountedAndDeadLetteredAsLost()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var connectionKeys = new RedisKeys(keyPrefix).Connection(TestManifests.Connection);
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();

        // A consumer that died holding an entry which was then deleted: Redis 7 reports its id as deleted.
        await database.StreamCreateConsumerGroupAsync(connectionKeys.Events, RedisKeys.DeliveryGroup, "0-0", createStream: true);
        var entryId = await database.StreamAddAsync(connectionKeys.Events, [new("e", "evt_000000000000000000000001"), new("r", "1-0"), new("s", "default/github"), new("n", 1), new("t", 1)]);
        await database.StreamReadGroupAsync(connectionKeys.Events, RedisKeys.DeliveryGroup, "dead-consumer", StreamPosition.NewMessages, 10);
        await database.StreamDeleteAsync(connectionKeys.Events, [entryId]);

        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url), keyPrefix: keyPrefix);
        var deadLetters = await Eventually.WaitAsync(() => gateway.DeadLettersAsync(), entries => entries.Count > 0, TimeSpan.FromSeconds(15), "a lost dead letter");
        var pending = await database.StreamPendingAsync(connectionKeys.Events, RedisKeys.DeliveryGroup);

        Assert.Equal(DeadLetterReasons.Lost, deadLetters[0].Reason);
        Assert.Contains(entryId.ToString(), deadLetters[0].LastError, StringComparison.Ordinal);
        Assert.Equal(0, pending.PendingMessageCount);
        Assert.Equal(1, await gateway.MetricAsync("fasthook_events_lost_total{connection=\"default/github-to-receiver\"}"));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task RequestTrimmedBeforeDelivery_IsDeadLetteredAsRequestMissing()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, connectionExtra: "paused: true");
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, manifests);
        var keys = new RedisKeys(gateway.Options.KeyPrefix);
        await using var connection = await redis.Server.ConnectAsync();
        var database = connection.GetDatabase();

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        await Eventually.WaitAsync(() => gateway.EventsAsync(), events => events.Count == 1, TimeSpan.FromSeconds(10), "the event to be routed");
        await database.KeyDeleteAsync(keys.Source("default/github").Requests);
        await File.WriteAllTextAsync(Path.Combine(gateway.ManifestFolder, "manifests.yaml"), TestManifests.GitHubToReceiver(receiver.Url));
        var stored = await Eventually.WaitAsync(() => gateway.EventsAsync(EventStates.DeadLettered), events => events.Count == 1, TimeSpan.FromSeconds(10), "a dead letter");

        Assert.Equal(DeadLetterReasons.RequestMissing, stored[0].DeadLetterReason);
        Assert.Empty(receiver.Received);
    }
}
