using FastHook.Gateway.Storage;
using FastHook.Gateway.Tests.Infrastructure;

namespace FastHook.Gateway.Tests.Hosting;

public sealed class ShutdownTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task Stop_FinishesInFlightDelivery()
    {
        await using var receiver = await TestReceiver.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Respond = async (_, _) =>
        {
            arrived.TrySetResult();
            await Task.Delay(700);
            return new TestResponse(200);
        };
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver(receiver.Url, destinationTimeout: "5s"));
        var keys = new RedisKeys(gateway.Options.KeyPrefix).Connection(TestManifests.Connection);

        await gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await gateway.Host.StopAsync();
        var eventId = receiver.Received[0].Header("webhook-id");
        await using var connection = await redis.Server.ConnectAsync();

        Assert.Equal(EventStates.Delivered, (string?)await connection.GetDatabase().HashGetAsync(keys.Event(eventId), "state"));
        Assert.Equal(0, await connection.GetDatabase().StreamLengthAsync(keys.Events));
    }

    [Fact]
    public async Task Stop_RefusesNewRequests()
    {
        await using var gateway = await GatewayHarness.StartAsync(redis.Server, TestManifests.GitHubToReceiver("http://127.0.0.1:9"));

        await gateway.Host.StopAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => gateway.PostGitHubAsync(TestManifests.SourcePath, "{}", TestManifests.GitHubSecret));
    }
}
