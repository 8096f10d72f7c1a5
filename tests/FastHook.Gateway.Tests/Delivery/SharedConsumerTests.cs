using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Delivery;

public sealed class SharedConsumerTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task TwoGateways_ShareEventsWithoutDoubleDelivery()
    {
        const int Count = 60;
        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = async (_, _) =>
        {
            await Task.Delay(20);
            return new TestResponse(200);
        };
        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, destinationExtra: "maxConcurrency: 2");
        await using var first = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);
        await using var second = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);

        for (var i = 0; i < Count; i++)
        {
            var gateway = i % 2 == 0 ? first : second;
            using var response = await gateway.PostGitHubAsync(TestManifests.SourcePath, $"{{\"n\":{i}}}", TestManifests.GitHubSecret);
        }

        await receiver.WaitForAsync(Count, TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var ids = receiver.Received.Select(request => request.Header("webhook-id")).ToList();
        var consumers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids.Distinct())
        {
            var attempts = await first.AttemptsAsync(id);
            consumers.Add(attempts[0].Consumer!);
        }

        Assert.Equal(Count, receiver.Received.Count);
        Assert.Equal(Count, ids.Distinct().Count());
        Assert.Contains(first.Host.ConsumerName, consumers);
        Assert.Contains(second.Host.ConsumerName, consumers);
    }
}
