using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.FlowControl;

public sealed class RateLimitTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task RateLimit_HoldsTwoGatewaysTogetherToTheConfiguredRate()
    {
        const int Count = 16;
        const double Rate = 5;
        await using var receiver = await TestReceiver.StartAsync();
        var keyPrefix = GatewayHarness.NewKeyPrefix();
        var manifests = TestManifests.GitHubToReceiver(receiver.Url, destinationExtra: "rateLimit: {requests: 5, per: 1s}");
        await using var first = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);
        await using var second = await GatewayHarness.StartAsync(redis.Server, manifests, keyPrefix: keyPrefix);

        for (var i = 0; i < Count; i++)
        {
            using var response = await (i % 2 == 0 ? first : second).PostGitHubAsync(TestManifests.SourcePath, $"{{\"n\":{i}}}", TestManifests.GitHubSecret);
        }

        var received = await receiver.WaitForAsync(Count, TimeSpan.FromSeconds(20));
        var times = received.Select(request => request.At).Order().ToList();
        var span = (times[^1] - times[0]).TotalSeconds;
        var busiestSecond = times.Max(start => times.Count(time => time >= start && time < start.AddSeconds(1)));
        var consumers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in received.Select(request => request.Header("webhook-id")))
        {
            consumers.Add((await first.AttemptsAsync(id))[0].Consumer!);
        }

        // 16 requests at 5 per second with a burst of 1 take at least 15 intervals of 200 ms.
        Assert.InRange(span, (Count - 1) / Rate * 0.9, (Count - 1) / Rate * 1.6);
        Assert.InRange(busiestSecond, 1, 6);
        Assert.Equal(2, consumers.Count);
    }
}
