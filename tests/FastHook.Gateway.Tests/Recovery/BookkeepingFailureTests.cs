using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Recovery;

public sealed class BookkeepingFailureTests
{
    [Fact]
    public async Task RedisDownAfterA2xx_RetriesTheWriteNotTheDelivery()
    {
        await using var redis = await RedisServer.StartAsync();
        await using (var setup = await redis.ConnectAsync())
        {
            // Every write reaches the disk before Redis replies, so the restart below loses nothing.
            await setup.GetServer(setup.GetEndPoints()[0]).ConfigSetAsync("appendfsync", "always");
        }

        await using var receiver = await TestReceiver.StartAsync();
        receiver.Respond = async (n, _) =>
        {
            if (n == 1)
            {
                await redis.StopAsync();
            }

            return new TestResponse(200);
        };
        await using var gateway = await GatewayHarness.StartAsync(redis, TestManifests.GitHubToReceiver(receiver.Url));

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(10));
        await Task.Delay(1500);
        await redis.StartAgainAsync();
        var eventId = receiver.Received[0].Header("webhook-id");
        var stored = await Eventually.WaitAsync(
            async () =>
            {
                try
                {
                    return await gateway.EventAsync(eventId);
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            },
            stored => stored?.State == EventStates.Delivered,
            TimeSpan.FromSeconds(20),
            "the delivery to be recorded once Redis is back");
        await Task.Delay(3000);

        Assert.Single(receiver.Received);
        Assert.Equal(1, stored!.Attempts);
    }
}
